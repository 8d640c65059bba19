# sparsedse -- build, test, bench. `make V=1` shows full commands.

BUILD   ?= build
PREFIX  ?= /usr/local
OPENMP  ?= 1
SAN     ?=
CC      ?= gcc
PKGS     = yaml-0.1 sqlite3

STD      = -std=c11 -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wundef -Wvla -Wcast-align -Wwrite-strings -Wno-format-nonliteral
OPT      = -O2 -g -ffp-contract=off
ifeq ($(OPENMP),1)
OMPFLAGS = -fopenmp
else
OMPFLAGS = -Wno-unknown-pragmas
endif
ifneq ($(SAN),)
SANFLAGS = -fsanitize=$(SAN) -fno-omit-frame-pointer
endif
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

NEEDS_LIBS := $(filter-out deps demo clean help,$(or $(MAKECMDGOALS),all))
ifneq ($(NEEDS_LIBS),)
MISSING := $(strip $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) && echo ok),,$(p))))
ifneq ($(MISSING),)
$(error missing libraries ($(MISSING)): run 'make deps' or apt-get install libyaml-dev libsqlite3-dev pkg-config)
endif
endif

CFLAGS  += $(STD) $(WARN) $(OPT) $(OMPFLAGS) $(SANFLAGS) -Iinclude -MMD -MP \
           -DDSE_VERSION='"$(VERSION)"' -DDSE_TECHDIR='"$(abspath spaces/tech)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
LDFLAGS += $(OMPFLAGS) $(SANFLAGS)

LIBSRC  := $(filter-out src/main.c src/cmd_%.c,$(wildcard src/*.c))
CLISRC  := src/main.c $(wildcard src/cmd_*.c)
TESTSRC := $(wildcard test/check_*.c)
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
CLIOBJ  := $(CLISRC:%.c=$(BUILD)/%.o)
TESTOBJ := $(TESTSRC:%.c=$(BUILD)/%.o) $(BUILD)/test/run.o
BENCHSRC:= $(wildcard test/bench_*.c)
BENCHBIN:= $(BENCHSRC:test/%.c=$(BUILD)/%)
BIN      = $(BUILD)/sparsedse
TESTBIN  = $(BUILD)/run-tests

ifeq ($(V),1)
Q =
else
Q = @
endif

.PHONY: all test bench demo deps install clean reproduce docs fuzz
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libsparsedse.a: $(LIBOBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLIOBJ) $(BUILD)/libsparsedse.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The test runner runs every Suite *suite_NAME(void) of test/check_NAME.c.
$(BUILD)/test/suites.h: $(TESTSRC)
	@mkdir -p $(dir $@)
	$(Q)for f in $(TESTSRC); do n=$${f#test/check_}; echo "SUITE($${n%.c})"; done > $@
$(BUILD)/test/run.o: test/run.c $(BUILD)/test/suites.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/test -c $< -o $@
$(TESTBIN): $(TESTOBJ) $(BUILD)/libsparsedse.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell pkg-config --libs check) -o $@

test: $(BIN) $(TESTBIN) $(BENCHBIN)
	$(Q)cd test && SPARSEDSE=$(abspath $(BIN)) CK_VERBOSITY=normal $(abspath $(TESTBIN))

$(BUILD)/bench_%: $(BUILD)/test/bench_%.o $(BUILD)/libsparsedse.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

bench: $(BIN) $(BENCHBIN)
	$(Q)scripts/bench.sh $(BIN)

FUZZ_SECONDS ?= 60
fuzz:
	$(Q)scripts/fuzz.sh $(BUILD) $(FUZZ_SECONDS)

docs: $(BIN)
	$(Q)scripts/cli-doc.sh $(BIN)

reproduce: $(BIN)
	$(Q)scripts/reproduce.sh $(BIN)

deps:
	$(Q)scripts/deps.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)mkdir -p results && rm -f results/default.db results/default.db-wal results/default.db-shm
	$(Q)$(BIN) sweep spaces/default.yaml --db results/default.db
	$(Q)$(BIN) pareto --db results/default.db

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sparsedse

clean:
	rm -rf $(BUILD)

-include $(LIBOBJ:.o=.d) $(CLIOBJ:.o=.d) $(TESTOBJ:.o=.d) $(BENCHSRC:%.c=$(BUILD)/%.d)
