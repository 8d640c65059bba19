/* util.h -- error reporting, status codes and small helpers shared by every module. */
#ifndef DSE_UTIL_H
#define DSE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Status codes returned by library functions (0 = success). The CLI maps
 * them to exit codes (docs/cli.md). */
enum {
    DSE_OK = 0,
    DSE_EINPUT = 1,  /* bad input: YAML, workload, technology, masks, values */
    DSE_EIO = 3,     /* file or database I/O */
    DSE_EMODEL = 4,  /* model could not evaluate (internal invariant) */
    DSE_EINTR = 5,   /* interrupted by a signal; completed work was kept */
    DSE_ENOMEM = 6
};

/* Error filled by library code; only the CLI prints it. For input errors
 * msg already starts with "file:line:col: error: ". */
typedef struct dse_err {
    int code;        /* one of the DSE_E* codes, DSE_OK when clear */
    char msg[1024];  /* human-readable, lower-case, no trailing full stop */
} dse_err;

/* Fill e (if non-NULL) with code and a printf-style message; returns code. */
int dse_errf(dse_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Allocation that aborts the process with a message on exhaustion. */
void *dse_xmalloc(size_t n);
void *dse_xcalloc(size_t n, size_t size);
void *dse_xrealloc(void *p, size_t n);
char *dse_xstrdup(const char *s);

/* Copy src into dst of size n, always NUL-terminated; returns strlen(src). */
size_t dse_strlcpy(char *dst, const char *src, size_t n);
/* A text as a message echoes it: t itself when at most 40 characters,
 * else its first 32 and its length, written into buf. */
const char *dse_shown(const char *t, char *buf, size_t n);

/* FNV-1a 64-bit hash of n bytes, continuing from h (start with DSE_FNV_INIT). */
#define DSE_FNV_INIT 0xcbf29ce484222325ULL
uint64_t dse_fnv1a(uint64_t h, const void *data, size_t n);
/* A faster 64-bit hash of n bytes, continuing from h, a word at a time: for
 * in-memory cache keys only (its values may change between versions; what
 * is stored or seeds a generator uses dse_fnv1a). */
uint64_t dse_hash(uint64_t h, const void *data, size_t n);

/* Bounds on input files, in MiB (docs/cli.md, "Limits"); an environment
 * variable of that name (an integer 1 .. 2^20) overrides each. */
#define DSE_MAX_FILE_MB 1024   /* SPARSEDSE_MAX_FILE_MB: any file read (masks included) */
#define DSE_MAX_YAML_MB 16     /* SPARSEDSE_MAX_YAML_MB: a YAML file (space, workload, technology, mapping) */
#define DSE_MAX_YAML_DEPTH 64  /* flow collections ([ ], { }) nested deeper than this are refused */
/* The limit named env (MiB, default def_mb) in bytes. */
size_t dse_limit_bytes(const char *env, size_t def_mb);

/* Read a whole file into a malloc'ed NUL-terminated buffer; *len gets its
 * size (may be NULL). yaml selects the YAML bound instead of the file bound.
 * Returns NULL and fills e on failure: DSE_EIO when it cannot be read,
 * DSE_EINPUT when it is larger than the bound (it stops reading there: a
 * device such as /dev/zero cannot exhaust memory). */
char *dse_read_file(const char *path, size_t *len, int yaml, dse_err *e);

/* Resolve rel against the directory of base (a file path); absolute rel is
 * returned as is. Writes into out of size n; returns DSE_OK or DSE_EINPUT
 * when the result does not fit. */
int dse_path_join(char *out, size_t n, const char *base, const char *rel, dse_err *e);

/* Monotonic wall-clock seconds. */
double dse_now(void);

#endif
