#!/usr/bin/env bash
# reproduce.sh -- re-run the source study (spaces/paper.yaml) and regenerate docs/reproduction.md and its plots.
#
# usage: scripts/reproduce.sh BIN      (BIN: the built sparsedse, e.g. build/sparsedse; `make reproduce`)
#
# Steps: a fresh sweep of spaces/paper.yaml into results/paper.db; geometric means over the workloads
# of every (design, mode) with the sqlite3 CLI; Pareto fronts, best designs, the dual-vs-specialised
# loss and the hybrid-vs-presets ratios; one gnuplot PNG per mode (docs/reproduction-MODE.png); the
# Markdown report written to a temporary file and moved over docs/reproduction.md at the end, so a
# failure never leaves a half-written report. Needs: sqlite3 (3.35+ with its math functions), gnuplot
# (pngcairo or png terminal), awk. Environment: THREADS (default: the sweep's default, all cores);
# REUSE_DB=1 skips the sweep and reports on an existing results/paper.db of the same space file (to
# work on the report); FIDELITY_CHECK=0 skips the sampled-fidelity cross-check (about 10 s).
set -eu
set -o pipefail

die() { echo "reproduce.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: scripts/reproduce.sh PATH/TO/sparsedse"
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || die "'$1' is not an executable (build it first: make)"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

SPACE=spaces/paper.yaml
DB=results/paper.db
DOC=docs/reproduction.md
MODES="dense weight act dual"
[ -f "$SPACE" ] || die "$SPACE not found (run from a clone of the repository)"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 command-line tool is missing (apt-get install sqlite3)"
command -v gnuplot >/dev/null 2>&1 || die "gnuplot is missing (apt-get install gnuplot-nox)"
sqlite3 :memory: 'SELECT ln(2.0), exp(1.0);' >/dev/null 2>&1 ||
    die "this sqlite3 lacks the math functions ln/exp (need sqlite3 3.35+ built with SQLITE_ENABLE_MATH_FUNCTIONS)"
TERMINALS=$(gnuplot -e 'set terminal' 2>&1 || true)
case $TERMINALS in
*pngcairo*) TERM_PNG="pngcairo size 840,600 font 'sans,9'" ;;
*" png "*) TERM_PNG="png size 840,600" ;;
*) die "gnuplot has neither the pngcairo nor the png terminal" ;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reproduce.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
REP=$TMP/report.db

# ---- 1. the sweep --------------------------------------------------------------------------------
mkdir -p results
"$BIN" validate "$SPACE" >"$TMP/validate.txt" || die "$SPACE does not validate (see above)"
if [ "${REUSE_DB:-0}" = 1 ] && [ -f "$DB" ]; then
    echo "reproduce.sh: REUSE_DB=1: reporting on the existing $DB without sweeping" >&2
    stored=$(sqlite3 -batch -noheader "$DB" "SELECT space_text FROM runs ORDER BY id DESC LIMIT 1") ||
        die "cannot read $DB"
    [ "$stored" = "$(cat "$SPACE")" ] ||
        die "$DB was swept from another version of $SPACE: run without REUSE_DB=1"
    WALL="n/a (REUSE_DB)"
else
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "reproduce.sh: sweeping $SPACE into $DB" >&2
    t0=$(date +%s)
    "$BIN" sweep "$SPACE" --db "$DB" --breakdown front ${THREADS:+--threads "$THREADS"} || die "the sweep failed"
    t1=$(date +%s)
    WALL="$((t1 - t0)) s"
fi
VERSION=$("$BIN" --version | sed 's/^sparsedse //')

# ---- 2. aggregates (a scratch database that attaches the sweep's read-only) ----------------------
q() { sqlite3 -batch -noheader -separator '|' "$REP" "$@"; }
q "ATTACH '$ROOT/$DB' AS s;
CREATE TABLE run AS SELECT * FROM s.runs WHERE id = (SELECT max(id) FROM s.runs);
CREATE TABLE nwl AS SELECT count(DISTINCT workload) AS n FROM s.results WHERE run = (SELECT id FROM run);
-- feasible points with a class and a readable label
CREATE TABLE pt AS SELECT idx, preset, hybrid, gating, dual_org, w_lookahead, w_lookaside, w_unit, w_shape,
    a_lookahead, a_lookaside, a_unit, a_shape, wsram_kib, asram_kib, osram_kib,
    sram_bank_kib, sram_rows, w_format, a_format,
    wsram_kib || '/' || asram_kib || '/' || osram_kib
        || CASE WHEN sram_bank_kib > 0 THEN ', ' || sram_bank_kib || ' KiB banks' ELSE '' END
        || CASE WHEN sram_rows > 0 THEN ', ' || sram_rows || ' rows/cycle' ELSE '' END
        || CASE WHEN w_format <> 'none' THEN ', W ' || w_format ELSE '' END
        || CASE WHEN a_format <> 'none' THEN ', A ' || a_format ELSE '' END AS mem,
    CASE WHEN hybrid AND wmode_lookahead >= 0 THEN wmode_lookahead ELSE w_lookahead END AS rw_h,
    CASE WHEN hybrid AND wmode_lookaside >= 0 THEN wmode_lookaside ELSE w_lookaside END AS rw_d,
    CASE WHEN hybrid AND amode_lookahead >= 0 THEN amode_lookahead ELSE a_lookahead END AS ra_h,
    CASE WHEN hybrid AND amode_lookaside >= 0 THEN amode_lookaside ELSE a_lookaside END AS ra_d
  FROM s.points WHERE run = (SELECT id FROM run) AND feasible;
CREATE UNIQUE INDEX pt_idx ON pt(idx);
-- the class: hybrid when a single-sparse mode runs a borrowing window other than the side's own
-- (a per-mode window equal to the own one, or one with lookahead 0, is the non-hybrid design)
ALTER TABLE pt ADD COLUMN class TEXT;
UPDATE pt SET class =
    CASE WHEN hybrid AND ((rw_h > 0 AND (rw_h <> w_lookahead OR rw_d <> w_lookaside))
                          OR (ra_h > 0 AND (ra_h <> a_lookahead OR ra_d <> a_lookaside))) THEN 'hybrid'
         WHEN w_lookahead > 0 AND a_lookahead > 0 THEN 'dual'
         WHEN w_lookahead > 0 THEN 'weight-only'
         WHEN a_lookahead > 0 THEN 'act-only'
         ELSE 'no-borrowing' END;
ALTER TABLE pt ADD COLUMN label TEXT;
UPDATE pt SET label =
    CASE WHEN w_lookahead = 0 AND w_lookaside = 0 THEN 'W -'
         ELSE 'W ' || w_shape || '(' || w_lookahead || ',' || w_lookaside || ')'
              || CASE WHEN w_unit > 0 THEN ' u' || w_unit ELSE '' END END
    || ' / ' ||
    CASE WHEN a_lookahead = 0 AND a_lookaside = 0 THEN 'A -'
         ELSE 'A ' || a_shape || '(' || a_lookahead || ',' || a_lookaside || ')'
              || CASE WHEN a_unit > 0 THEN ' u' || a_unit ELSE '' END END
    || CASE WHEN w_lookahead > 0 AND a_lookahead > 0 THEN ', ' || dual_org ELSE '' END
    || CASE WHEN class = 'hybrid' THEN ', hybrid: weight mode '
              || CASE WHEN rw_h = w_lookahead AND rw_d = w_lookaside THEN 'own'
                      ELSE w_shape || '(' || rw_h || ',' || rw_d || ')' END
              || ', act mode '
              || CASE WHEN ra_h = a_lookahead AND ra_d = a_lookaside THEN 'own'
                      ELSE a_shape || '(' || ra_h || ',' || ra_d || ')' END
         ELSE '' END
    || ' @ ' || mem;
UPDATE pt SET label = preset || ' [' || label || ']' WHERE preset IS NOT NULL;
CREATE TABLE pre AS SELECT * FROM pt WHERE preset IS NOT NULL;
-- a grid point that is the same design as a preset says so
UPDATE pt SET label = label || ' (= ' || (SELECT group_concat(q.preset, ', ') FROM pre q
        WHERE q.w_lookahead = pt.w_lookahead AND q.w_lookaside = pt.w_lookaside
          AND q.w_unit = pt.w_unit AND q.w_shape = pt.w_shape AND q.a_lookahead = pt.a_lookahead
          AND q.a_lookaside = pt.a_lookaside AND q.a_unit = pt.a_unit AND q.a_shape = pt.a_shape
          AND q.dual_org = pt.dual_org AND q.hybrid = pt.hybrid AND q.gating = pt.gating
          AND q.rw_h = pt.rw_h AND q.rw_d = pt.rw_d AND q.ra_h = pt.ra_h AND q.ra_d = pt.ra_d
          AND q.mem = pt.mem) || ')'
  WHERE pt.preset IS NULL AND EXISTS (SELECT 1 FROM pre q
        WHERE q.w_lookahead = pt.w_lookahead AND q.w_lookaside = pt.w_lookaside
          AND q.w_unit = pt.w_unit AND q.w_shape = pt.w_shape AND q.a_lookahead = pt.a_lookahead
          AND q.a_lookaside = pt.a_lookaside AND q.a_unit = pt.a_unit AND q.a_shape = pt.a_shape
          AND q.dual_org = pt.dual_org AND q.hybrid = pt.hybrid AND q.gating = pt.gating
          AND q.rw_h = pt.rw_h AND q.rw_d = pt.rw_d AND q.ra_h = pt.ra_h AND q.ra_d = pt.ra_d
          AND q.mem = pt.mem);
-- geometric means over the workloads; a (design, mode) missing a workload or a metric is left out
CREATE TABLE gm AS SELECT r.idx AS idx, r.mode AS mode,
    exp(avg(ln(r.tops_per_w))) AS tpw, exp(avg(ln(r.tops_per_mm2))) AS tpa,
    exp(avg(ln(r.speedup))) AS sp, exp(avg(ln(r.power_w))) AS pw, exp(avg(ln(r.area_mm2))) AS area
  FROM s.results r JOIN pt ON pt.idx = r.idx
  WHERE r.run = (SELECT id FROM run)
  GROUP BY r.idx, r.mode
  HAVING count(r.tops_per_w) = (SELECT n FROM nwl) AND count(r.tops_per_mm2) = (SELECT n FROM nwl)
     AND min(r.tops_per_w) > 0 AND min(r.tops_per_mm2) > 0;
CREATE INDEX gm_key ON gm(mode, idx);
-- per-workload values, for the per-workload tables
CREATE TABLE wl AS SELECT r.idx AS idx, r.workload AS workload, r.mode AS mode, r.tops_per_w AS tpw
  FROM s.results r JOIN pt ON pt.idx = r.idx WHERE r.run = (SELECT id FROM run);
CREATE INDEX wl_key ON wl(idx, mode, workload);
-- the stored fronts (per workload and mode)
CREATE TABLE sfront AS SELECT idx, workload, mode FROM s.pareto WHERE run = (SELECT id FROM run);
-- 2-D Pareto front (max tpw, max tpa) per mode: sorted by tpw descending, a point is on the front
-- when its tpa beats every point before it (ties: the lower point index stays, the copy goes)
CREATE TABLE front AS SELECT mode, idx, tpw, tpa FROM (
    SELECT g.*, max(tpa) OVER (PARTITION BY mode ORDER BY tpw DESC, tpa DESC, idx
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
    FROM gm g) WHERE prev IS NULL OR tpa > prev;
-- the four-mode geometric mean of every design (the hybrid's selection criterion)
CREATE TABLE all4 AS SELECT idx, exp(avg(ln(tpw))) AS tpw FROM gm GROUP BY idx HAVING count(*) = 4;
-- the best design of every class in every mode (ties: lowest index)
CREATE TABLE best AS SELECT class, mode, idx, tpw FROM (
    SELECT pt.class, g.mode, g.idx, g.tpw,
           row_number() OVER (PARTITION BY pt.class, g.mode ORDER BY g.tpw DESC, g.idx) AS rk
    FROM gm g JOIN pt ON pt.idx = g.idx) WHERE rk = 1;
CREATE TABLE besthyb AS SELECT a.idx, a.tpw FROM all4 a JOIN pt ON pt.idx = a.idx
    WHERE pt.class = 'hybrid' ORDER BY a.tpw DESC, a.idx LIMIT 1;" || die "aggregating $DB failed"

NPTS=$(q "SELECT count(*) FROM pt")
NGM=$(q "SELECT count(DISTINCT idx) FROM gm")
[ "$NPTS" -gt 0 ] && [ "$NGM" -gt 0 ] || die "$DB holds no complete results"

# the Markdown helpers: f3 formats a number, v prints one value or 'n/a'
f3() { awk -v x="$1" 'BEGIN { if (x == "") print "n/a"; else printf "%.3f", x }'; }
v() { local r; r=$(q "$1"); [ -n "$r" ] && printf '%s' "$r" || printf 'n/a'; }

# ---- 3. plots --------------------------------------------------------------------------------------
PRIOR="'bit-tactical-T25','tensordash-T25','cnvlutin-like','sparse-tensor-core-2of4','sparten-like'"
for m in $MODES; do
    for c in no-borrowing weight-only act-only dual hybrid; do
        q "SELECT g.tpa, g.tpw FROM gm g JOIN pt ON pt.idx = g.idx
           WHERE g.mode = '$m' AND pt.class = '$c' AND pt.preset IS NULL" | tr '|' ' ' >"$TMP/$m-$c.dat"
        [ -s "$TMP/$m-$c.dat" ] || echo "nan nan" >"$TMP/$m-$c.dat"
    done
    q "SELECT f.tpa, f.tpw FROM front f WHERE f.mode = '$m' ORDER BY f.tpa" | tr '|' ' ' >"$TMP/$m-front.dat"
    # presets: numbered in point order, each its own marker and key entry, the number beside it
    q "SELECT g.tpa, g.tpw, pt.preset FROM gm g JOIN pt ON pt.idx = g.idx
       WHERE g.mode = '$m' AND pt.preset IS NOT NULL ORDER BY pt.idx" |
        awk -F'|' '{ printf "%s %s %d \"%s\"\n", $1, $2, NR, $3 }' >"$TMP/$m-presets.dat"
    {
        cat <<EOF
set terminal $TERM_PNG
set output '$ROOT/docs/reproduction-$m.png'
set title "Mode $m: TOPS/W vs TOPS/mm2, geometric mean over the workloads (spaces/paper.yaml)"
set xlabel 'effective TOPS/mm2 (geometric mean)'
set ylabel 'effective TOPS/W (geometric mean)'
set key outside right top box spacing 1.1
set grid
set offsets graph 0.02, graph 0.05, graph 0.05, graph 0.05
plot '$TMP/$m-hybrid.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#c5b0d5' title 'hybrid', \\
     '$TMP/$m-dual.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#ff7f0e' title 'dual', \\
     '$TMP/$m-act-only.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#2ca02c' title 'activation-only', \\
     '$TMP/$m-weight-only.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#1f77b4' title 'weight-only', \\
     '$TMP/$m-no-borrowing.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#7f7f7f' title 'no borrowing', \\
     '$TMP/$m-front.dat' using 1:2 with linespoints lw 2 pt 6 ps 0.8 lc rgb '#d62728' title 'Pareto front', \\
     '$TMP/$m-presets.dat' using 1:2:3 with labels left offset 0.9,0 font ',9' textcolor rgb 'black' notitle\\
EOF
        awk '{ split("4 6 8 10 12 14 5 9 11 13 15 1 2 3", p, " ");
               name = $4; for (i = 5; i <= NF; i++) name = name " " $i; gsub(/"/, "", name);
               printf ", \\\n     \"%s\" every ::%d::%d using 1:2 with points pt %s ps 1.3 lw 1.5 lc rgb \"black\" title \"%d %s\"",
                      FILENAME, NR - 1, NR - 1, p[(NR - 1) % 14 + 1], NR, name }' "$TMP/$m-presets.dat"
        echo
    } >"$TMP/$m.gp"
    gnuplot "$TMP/$m.gp" || die "gnuplot failed on mode $m"
done

# ---- 4. the report ---------------------------------------------------------------------------------
OUT=$TMP/reproduction.md
RUN_ID=$(q "SELECT id FROM run")
NWL=$(q "SELECT n FROM nwl")
# the designs the comparisons need
# the best dual-sparse design in dual mode, the best weight-only and activation-only designs in their modes
DSTAR=$(q "SELECT idx FROM best WHERE class = 'dual' AND mode = 'dual'")
SW=$(q "SELECT idx FROM best WHERE class = 'weight-only' AND mode = 'weight'")
SA=$(q "SELECT idx FROM best WHERE class = 'act-only' AND mode = 'act'")
HYB=$(q "SELECT idx FROM besthyb")
GRIF=$(q "SELECT idx FROM pt WHERE preset = 'griffin-hybrid'")
DENSE=$(q "SELECT idx FROM pt WHERE preset = 'dense'")
tpw() { q "SELECT tpw FROM gm WHERE idx = ${1:-NULL} AND mode = '$2'"; }
label() { v "SELECT label FROM pt WHERE idx = ${1:-NULL}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2fx", a / b }'; }
loss() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.1f%%", 100 * (1 - a / b) }'; }

WORKLOADS=$(q "SELECT DISTINCT workload FROM wl ORDER BY workload")
wl_rows() {  # CELL -> a table row per workload: "| workload | CELL(workload, mode) for the four modes |"
    local w
    for w in $WORKLOADS; do
        echo "| $w | $($1 "$w" dense) | $($1 "$w" weight) | $($1 "$w" act) | $($1 "$w" dual) |"
    done
}
# the axes and constraints of the space file, as written there
yblock() { awk -v k="$1" '$0 ~ "^" k ":" { on = 1; next } /^[^ #]/ { on = 0 }
    on && /^  [a-z_]+:/ && (k != "params" || /[[{]/) { sub(/^ +/, ""); sub(/ +#.*/, ""); printf "%s`%s`", n++ ? ", " : "", $0 }' "$SPACE"; }
GRID=$(yblock params); [ -n "$GRID" ] || GRID="(none)"
CONSTR=$(yblock constraints); [ -n "$CONSTR" ] || CONSTR="(none)"
# Energy breakdown of (design, mode) summed over the workloads (one inference of each network), from
# `sparsedse eval` (further arguments: PARAM=VALUE overrides): prints the shares of the report's
# groups, then "total uJ".
breakdown() {
    local i=$1 m=$2
    shift 2
    for w in $WORKLOADS; do
        "$BIN" eval "$SPACE" --point "$i" --mode "$m" --workload "$w" "$@" ||
            die "sparsedse eval --point $i --mode $m --workload $w $* failed"
    done | awk '/^energy per inference/ { on = 1; next }
                /^[^ ]/ { on = 0 }
                on && NF == 2 && $1 != "component" { e[$1] += $2 }
                END {
                    t = e["total"]; if (t <= 0) exit 1
                    dp = e["mult"] + e["adder"] + e["accum"]
                    sl = e["wmux"] + e["amux"] + e["buffer"] + e["metadata"] + e["sched"] + e["unit"] + e["zero"] + e["codec"]
                    pc = e["pipeline"] + e["clock"]
                    printf "%.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.0f\n", 100 * dp / t,
                           100 * sl / t, 100 * e["wsram"] / t, 100 * e["asram"] / t, 100 * e["osram"] / t,
                           100 * e["dram"] / t, 100 * pc / t, t }'
}
BD_DENSE=$(breakdown "$DENSE" dense)
SRAM_SHARE=$(echo "$BD_DENSE" | awk -F' [|] ' '{ printf "%.0f", $3 + $4 + $5 }')
DRAM_SHARE=$(echo "$BD_DENSE" | awk -F' [|] ' '{ printf "%.0f", $6 }')
ASRAM_DUAL=$(breakdown "$DSTAR" dual | awk -F' [|] ' '{ printf "%.0f", $4 }')

# Fidelity cross-check: the loss figures again at sampled fidelity on one network (the sampled model
# draws sparsity patterns and runs the schedulers; slower, so one workload and two at a time).
FIDW=resnet50
fidelity_check() {
    printf '%s %s\n' "$DSTAR" weight "$SW" weight "$DSTAR" act "$SA" act "$DSTAR" dual "$DENSE" dual |
        xargs -P 2 -n 2 sh -c '"$0" eval "$1" --point "$3" --mode "$4" --workload "$2" --fidelity sampled |
            awk -v k="$3 $4" -v m=tops_per_w "\$1 == m { print k, \$2 }"' "$BIN" "$SPACE" "$FIDW" |
        sort >"$TMP/fid.txt"
}
if [ "${FIDELITY_CHECK:-1}" = 1 ] && case " $(echo $WORKLOADS) " in *" $FIDW "*) true ;; *) false ;; esac; then
    echo "reproduce.sh: sampled-fidelity cross-check on $FIDW" >&2
    fidelity_check || die "the sampled-fidelity cross-check failed"
else
    : >"$TMP/fid.txt"
fi
fid() { awk -v k="$1 $2" '$1 " " $2 == k { print $3 }' "$TMP/fid.txt"; }
cf() { q "SELECT tpw FROM wl WHERE idx = ${1:-NULL} AND mode = '$2' AND workload = '$FIDW'"; }

{
cat <<EOF
# Reproduction of the source study

<!-- GENERATED FILE: do not edit. Regenerate with \`make reproduce\`
     (scripts/reproduce.sh BUILD/sparsedse); the numbers below come from results/paper.db. -->

This file is **generated** by \`make reproduce\` (\`scripts/reproduce.sh BUILD/sparsedse\`) from the
database it writes, \`$DB\`. It re-runs, on our model, the exploration of Shin et al., *Griffin:
Rethinking Sparse Optimization for Deep Learning Architectures* (HPCA 2022; arXiv 2107.12922) and
sets our figures next to the paper's. It reports what the model says; no parameter was tuned toward
the paper's numbers.

## The space and the run

| | |
|---|---|
| space | \`$SPACE\` (name \`$(v "SELECT space_name FROM run")\`, hash \`$(v "SELECT space_hash FROM run")\`) |
| core | 16-lane DPUs, 8 x 8 array, INT8, 1 GHz, two DDR3-1600 channels (the core of \`spaces/presets.yaml\`); weight and activation SRAM sizes are axes, the presets have 128/128/32 KiB |
| grid axes | $GRID |
| constraints | $CONSTR |
| workloads ($NWL) | $(v "SELECT replace(workloads, ',', ', ') FROM run") |
| modes | dense, weight, act, dual (every design evaluated on all four model classes) |
| technology | \`spaces/tech/45nm.yaml\` |
| fidelity | $(v "SELECT fidelity FROM run") |
| seed | $(v "SELECT seed FROM run") |
| tool version | $VERSION |
| run | $RUN_ID, started $(v "SELECT started FROM run"), status $(v "SELECT status FROM run"), $(v "SELECT threads FROM run") threads |
| points | $(v "SELECT npoints FROM run") point indices, $(v "SELECT nfeasible FROM run") feasible (grid + $(v "SELECT count(*) FROM pt WHERE preset IS NOT NULL") presets), $(v "SELECT count(*) FROM wl") result rows |
| seconds | $(f3 "$(q "SELECT elapsed_s FROM run")") s in the sweep (its own clock); ${WALL} wall for the \`sweep\` command |

A design's label ends in its memory: \`@ weight/activation/output\` SRAM KiB, then what differs from
the defaults (\`8 KiB banks\`; \`A bitmap\`, \`W bitmap\`: activations or weights stored as bitmaps;
\`N rows/cycle\`: an SRAM bandwidth below what the windows can use). Feasible designs by
class. A side borrows when its lookahead is > 0 (a window of lookahead 0 never
borrows, whatever its lookaside: such designs are *no-borrowing*). *Hybrid* = \`hybrid: true\` and a
single-sparse mode that runs a borrowing window other than the side's own; a hybrid whose per-mode
windows are the sides' own is the same design as the non-hybrid and is counted in that class. Grid
points that are the same design as a preset are marked "(= preset)" below. Grid points whose
window has lookaside but lookahead 0 (on a side or in a hybrid mode) are infeasible
(\`src/mode.c\`: the window's lateral entries sit one step ahead, in a buffer such a design does not
own); they are stored as infeasible and appear in no figure.

| class | designs |
|---|---|
$(q "SELECT '| ' || class || ' | ' || count(*) || ' |' FROM pt GROUP BY class ORDER BY class")

**Aggregation.** Every figure below is, unless it says otherwise, the **geometric mean over the $NWL
workloads** of the per-workload metric of a design in a mode (TOPS/W and TOPS/mm2 are ratios, so the
geometric mean is the one that does not let one network dominate). *Mode* is the model class the
workloads are run as: dense (no zeros), weight (pruned weights, dense activations), act (ReLU zeros,
dense weights), dual (both). The sweep also stores a Pareto front per workload and mode in the
database (\`sparsedse pareto --db $DB\`).

## Pareto front per mode (TOPS/W vs TOPS/mm2)

EOF
for m in $MODES; do
    n=$(q "SELECT count(*) FROM front WHERE mode = '$m'")
    echo "### Mode $m ($n design$([ "$n" -eq 1 ] || echo s) on the front)"
    echo
    echo "![Mode $m](reproduction-$m.png)"
    echo
    echo "| # | design | class | TOPS/W | TOPS/mm2 | speedup | power W | area mm2 |"
    echo "|---|---|---|---|---|---|---|---|"
    q "SELECT '| ' || row_number() OVER (ORDER BY f.tpw DESC) || ' | ' || pt.label || ' | ' || pt.class
              || ' | ' || printf('%.3f', g.tpw) || ' | ' || printf('%.3f', g.tpa) || ' | ' || printf('%.2f', g.sp)
              || ' | ' || printf('%.3f', g.pw) || ' | ' || printf('%.3f', g.area) || ' |'
       FROM front f JOIN gm g ON g.idx = f.idx AND g.mode = f.mode JOIN pt ON pt.idx = f.idx
       WHERE f.mode = '$m' ORDER BY f.tpw DESC LIMIT 15"
    [ "$n" -le 15 ] || echo "| | ... $((n - 15)) more (lower TOPS/W, higher TOPS/mm2) | | | | | | |"
    echo
done

# ---- the SRAM sizes: what the stored fronts take, and the dense core's best size per workload
SRAMS=$(q "SELECT DISTINCT wsram_kib || '/' || asram_kib FROM pt ORDER BY wsram_kib, asram_kib")
sram_cell() {  # workload mode -> "32/32 x3, 512/32 x1" over the stored front's members
    v "SELECT group_concat(c, ', ') FROM (SELECT p.wsram_kib || '/' || p.asram_kib || ' x' || count(*) AS c
       FROM sfront f JOIN pt p ON p.idx = f.idx WHERE f.workload = '$1'
       AND f.mode = '$2' GROUP BY p.wsram_kib, p.asram_kib ORDER BY p.wsram_kib, p.asram_kib)"
}
SIZES="32 64 128 256 512 1024"
sizing() {  # design dram -> one table row per size: size | TOPS/W per workload | geometric mean
    for z in $SIZES; do
        "$BIN" eval "$SPACE" --point "$1" --mode dense wsram_kib=$z asram_kib=$z dram=$2 ||
            die "sparsedse eval --point $1 wsram_kib=$z asram_kib=$z dram=$2 failed"
    done | awk -v sizes="$SIZES" -v wls="$(echo $WORKLOADS)" '
        BEGIN { ns = split(sizes, S, " "); nw = split(wls, W, " "); k = 0 }
        /^design/ { k++ } /^workload / { wl = $2 }
        /^  tops_per_w / { t[k, wl] = $2 }
        END { for (w = 1; w <= nw; w++) { b = 0; for (i = 1; i <= ns; i++) if (t[i, W[w]] > b) { b = t[i, W[w]]; best[w] = i } }
              for (i = 1; i <= ns; i++) { row = "| " S[i] " KiB"; g = 0
                  for (w = 1; w <= nw; w++) { x = sprintf("%.3f", t[i, W[w]]); if (best[w] == i) x = "**" x "**"
                      row = row " | " x; g += log(t[i, W[w]]) }
                  printf "%s | %.3f |\n", row, exp(g / nw) } }'
}
cat <<EOF
## The SRAM sizes the designs take

The weight and activation SRAM sizes are axes of the space: a small SRAM refetches tiles from
DRAM (the mapper picks, for every layer, the mapping of least data-movement energy whose tiles fit:
\`docs/memory.md\`), a large one costs area, leakage and energy on every access (an access costs
what CACTI 7.0 gives for the bank it reads, which grows with the bank's size, \`docs/cost.md\`; the
operands streamed to the multipliers are most of the SRAM traffic). The members of the stored Pareto fronts of each workload and mode
(TOPS/W and TOPS/mm2, the \`pareto\` table), by weight/activation SRAM KiB and count:

| workload | dense | weight | act | dual |
|---|---|---|---|---|
EOF
wl_rows sram_cell
cat <<EOF

The sizes the grid offers (weight/activation KiB): $(echo $SRAMS | sed 's/ /, /g'). TOPS/W alone, on
the dense core (the \`dense\` preset, dense models) with both SRAMs of one size, by DRAM kind
(\`sparsedse eval ... wsram_kib=S asram_kib=S dram=D\`; bold: the best size for the workload):

| DRAM ddr3 (20.3 pJ/bit) | $(echo $WORKLOADS | sed 's/ / | /g') | geometric mean |
|---|$(for w in $WORKLOADS; do printf -- '---|'; done)---|
$(sizing "$DENSE" ddr3)

| DRAM lpddr4 (8 pJ/bit) | $(echo $WORKLOADS | sed 's/ / | /g') | geometric mean |
|---|$(for w in $WORKLOADS; do printf -- '---|'; done)---|
$(sizing "$DENSE" lpddr4)

Where DRAM costs more, a workload that needs the capacity takes it; where it costs less, the
per-access price of a larger SRAM outweighs what it saves. These SRAMs have as few banks as the rows
they deliver a cycle (\`sram_bank_kib: 0\`); the next section builds them of 8 KiB banks.

EOF

# ---- storage formats and SRAM banks
org_cell() {  # workload mode -> "8 KiB banks + A bitmap x3, ..." over the stored front's members
    v "SELECT group_concat(c, ', ') FROM (SELECT o || ' x' || count(*) AS c FROM (SELECT
         CASE WHEN p.sram_bank_kib > 0 THEN p.sram_bank_kib || ' KiB banks' ELSE 'row banks' END
         || CASE WHEN p.w_format <> 'none' THEN ' + W ' || p.w_format ELSE '' END
         || CASE WHEN p.a_format <> 'none' THEN ' + A ' || p.a_format ELSE '' END AS o
       FROM sfront f JOIN pt p ON p.idx = f.idx WHERE f.workload = '$1' AND f.mode = '$2') GROUP BY o ORDER BY o)"
}
best_org() {  # mode bank a_format -> best geometric-mean TOPS/W and its design
    local i
    i=$(q "SELECT g.idx FROM gm g JOIN pt ON pt.idx = g.idx WHERE g.mode = '$1' AND pt.sram_bank_kib = $2
           AND pt.a_format = '$3' ORDER BY g.tpw DESC, g.idx LIMIT 1")
    if [ -n "$i" ]; then printf '%s (%s)' "$(f3 "$(tpw "$i" "$1")")" "$(label "$i")"; else printf 'n/a'; fi
}
BANKS=$(q "SELECT DISTINCT sram_bank_kib FROM pt ORDER BY 1")
AFMTS=$(q "SELECT DISTINCT a_format FROM pt ORDER BY a_format = 'none' DESC, a_format")
cat <<EOF
## Storage formats and SRAM banks

Two more memory axes (\`docs/memory.md\` "Storage formats", \`docs/cost.md\` "SRAM banks"):
\`a_format\` and \`w_format\` store activations or weights as bitmaps (the nonzero values plus one bit
per element, at SRAM and DRAM; inputs are decoded where they are read, final outputs encoded where
they are written, both priced), so activation sparsity saves data movement and capacity; a design with
a weight window keeps its weights in their schedule instead (\`w_format\` with one is infeasible).
\`sram_bank_kib: 8\` builds every SRAM of 8 KiB banks, each priced by CACTI 7.0 at the access width,
against as few banks as the rows the SRAM delivers a cycle ("row banks"). The members of the stored
fronts of each workload and mode, by organisation and count:

| workload | dense | weight | act | dual |
|---|---|---|---|---|
EOF
wl_rows org_cell
cat <<EOF

The best design of each organisation in each mode (geometric-mean TOPS/W; in brackets the design):

| banks, activations | dense | weight | act | dual |
|---|---|---|---|---|
EOF
for b in $BANKS; do
    for af in $AFMTS; do
        if [ "$b" = 0 ]; then bn="row banks"; else bn="$b KiB banks"; fi
        echo "| $bn, $af | $(best_org dense "$b" "$af") | $(best_org weight "$b" "$af") | $(best_org act "$b" "$af") | $(best_org dual "$b" "$af") |"
    done
done
SA_AF=$(v "SELECT a_format FROM pt WHERE idx = ${SA:-NULL}")
if [ "$SA_AF" = none ]; then SA_OTHER=bitmap; else SA_OTHER=none; fi
BD_SA=$(breakdown "$SA" act)
BD_SA_OTHER=$(breakdown "$SA" act a_format=$SA_OTHER)
cat <<EOF

What a bitmap does, by component: the best activation-only design in act mode
($(label "$SA")), as it is and with \`a_format: $SA_OTHER\` (\`sparsedse eval --point $SA a_format=$SA_OTHER\`),
and the dense core with and without activation bitmaps on dense and on activation-sparse models
(shares as in "Where the energy goes" below; the sparse logic holds the bitmaps and the codecs):

| design, mode | datapath | sparse logic | weight SRAM | activation SRAM | output SRAM | DRAM | pipeline + clock | total uJ |
|---|---|---|---|---|---|---|---|---|
| best act-only design, act | $BD_SA |
| the same, a_format $SA_OTHER, act | $BD_SA_OTHER |
| dense core, dense | $(breakdown "$DENSE" dense) |
| dense core, a_format bitmap, dense | $(breakdown "$DENSE" dense a_format=bitmap) |
| dense core, act | $(breakdown "$DENSE" act) |
| dense core, a_format bitmap, act | $(breakdown "$DENSE" act a_format=bitmap) |

EOF

# ---- SRAM bandwidth: the best dual design on narrower SRAMs
BWW=resnet50
bw_row() {  # rows label -> | label | speedup | TOPS/W | area | SRAM-bound layers |
    "$BIN" eval "$SPACE" --point "$DSTAR" --mode dual --workload "$BWW" --layers sram_rows="$1" |
        awk -v r="$2" '/^  speedup / { s = $2 } /^  tops_per_w / { t = $2 } /^  area_mm2 / { a = $2 }
            /^layers of/ { on = 1; next } /^[^ ]/ { on = 0 }
            on && $1 != "layer" && NF > 11 { n++; if ($11 == "sram") b++ }
            END { if (n == 0) exit 1; printf "| %s | %.2f | %.3f | %.3f | %d of %d |\n", r, s, t, a, b, n }' ||
        die "sparsedse eval --point $DSTAR --mode dual --workload $BWW --layers sram_rows=$1 failed"
}
BW_TABLE=$(bw_row 1 "1 (a dense core's)"; bw_row 2 2; bw_row 3 3; bw_row 0 "as the windows advance (0)")
cat <<EOF
## SRAM bandwidth and borrowing

A window that skips rows needs them delivered: every tile takes at least its rows divided by the rows
the SRAMs deliver a cycle (\`sram_rows\`; 0 = as many as the windows can advance, the grid's value),
and an SRAM has at least as many banks as that (\`docs/perf.md\` section 5b). The best dual design
($(label "$DSTAR")) on $BWW in dual mode (\`sparsedse eval --point $DSTAR --mode dual --workload $BWW --layers sram_rows=R\`):

| SRAM rows a cycle | speedup | TOPS/W | area mm2 | SRAM-bound layers |
|---|---|---|---|---|
$BW_TABLE

EOF

cat <<EOF
## Best design per mode (by TOPS/W)

The best design of every class in every mode (geometric-mean TOPS/W; in brackets the design):

| class | dense | weight | act | dual |
|---|---|---|---|---|
EOF
for c in no-borrowing weight-only act-only dual hybrid; do
    row="| $c"
    for m in $MODES; do
        row="$row | $(f3 "$(q "SELECT tpw FROM best WHERE class = '$c' AND mode = '$m'")") ($(label "$(q "SELECT idx FROM best WHERE class = '$c' AND mode = '$m'")"))"
    done
    echo "$row |"
done
cat <<EOF

The overall best per mode, and the same design in the other modes (TOPS/W):

| mode | best design | class | dense | weight | act | dual |
|---|---|---|---|---|---|---|
EOF
for m in $MODES; do
    i=$(q "SELECT g.idx FROM gm g WHERE g.mode = '$m' ORDER BY g.tpw DESC, g.idx LIMIT 1")
    echo "| $m | $(label "$i") | $(v "SELECT class FROM pt WHERE idx = $i") | $(f3 "$(tpw "$i" dense)") | $(f3 "$(tpw "$i" weight)") | $(f3 "$(tpw "$i" act)") | $(f3 "$(tpw "$i" dual)") |"
done

# the best design of each sparse mode overall against the best of the mode's own class
overall_line() {  # mode class
    local i j
    i=$(q "SELECT g.idx FROM gm g WHERE g.mode = '$1' ORDER BY g.tpw DESC, g.idx LIMIT 1")
    j=$(q "SELECT idx FROM best WHERE class = '$2' AND mode = '$1'")
    echo "- $1 mode: the best design overall is $(label "$i") ($(v "SELECT class FROM pt WHERE idx = ${i:-NULL}"), $(f3 "$(tpw "$i" "$1")")); the best $2 design: $(label "$j") ($(f3 "$(tpw "$j" "$1")"))"
}
OVERALL=$(overall_line weight weight-only; overall_line act act-only; overall_line dual dual)
L_W=$(loss "$(tpw "$DSTAR" weight)" "$(tpw "$SW" weight)")
L_A=$(loss "$(tpw "$DSTAR" act)" "$(tpw "$SA" act)")
# the same comparison among designs that cannot clock-gate their idle logic (gating: false)
ungated_best() {  # mode class
    q "SELECT g.idx FROM gm g JOIN pt ON pt.idx = g.idx WHERE g.mode = '$1' AND pt.class = '$2'
       AND NOT pt.gating ORDER BY g.tpw DESC, g.idx LIMIT 1"
}
UD=$(ungated_best dual dual); UW=$(ungated_best weight weight-only); UA=$(ungated_best act act-only)
if [ -n "$UD" ] && [ -n "$UW" ] && [ -n "$UA" ]; then
    UL_W=$(loss "$(tpw "$UD" weight)" "$(tpw "$UW" weight)")
    UL_A=$(loss "$(tpw "$UD" act)" "$(tpw "$UA" act)")
    UNGATED="Among designs without gating (\`gating: false\`), the best dual design ($(label "$UD")) loses
   **$UL_W** on weight-only and **$UL_A** on activation-only models against the best ungated specialised
   designs ($(label "$UW"); $(label "$UA"))."
else
    UNGATED="The space has no ungated designs of every class, so the ungated comparison is not made."
fi
# the best dual design's sides on their own (same window, the other side off), to split its loss
# into the cost of carrying the idle side and the choice of window
side_alone() {  # $1 = w or a: the side kept
    local o; [ "$1" = w ] && o=a || o=w
    q "SELECT q.idx FROM pt q, pt d WHERE d.idx = ${DSTAR:-NULL} AND q.preset IS NULL AND NOT q.hybrid
         AND q.${1}_lookahead = d.${1}_lookahead AND q.${1}_lookaside = d.${1}_lookaside
         AND q.${1}_shape = d.${1}_shape AND q.${1}_unit = d.${1}_unit
         AND q.${o}_lookahead = 0 AND q.${o}_lookaside = 0 AND q.${o}_unit = 0 AND q.gating = d.gating
         AND q.mem = d.mem
       ORDER BY q.idx LIMIT 1"
}
DW=$(side_alone w)
DA=$(side_alone a)
OV_W=$(loss "$(tpw "$DSTAR" weight)" "$(tpw "$DW" weight)")
OV_A=$(loss "$(tpw "$DSTAR" act)" "$(tpw "$DA" act)")
WIN_W=$(loss "$(tpw "$DW" weight)" "$(tpw "$SW" weight)")
WIN_A=$(loss "$(tpw "$DA" act)" "$(tpw "$SA" act)")
cat <<EOF

## The best dual-sparse design on single-sparse models

The paper finds that even the best dual-sparse design loses **20-30%** TOPS/W on single-sparse
models against designs specialised for them. Here the *best dual-sparse design* is the design of
class dual with the highest TOPS/W in dual mode; the *specialised* designs are the weight-only design
with the highest TOPS/W in weight mode and the activation-only one in act mode (all geometric means
over the workloads). A core that borrows on neither side but stores its tensors compressed is in
neither class; where it is the best of a mode, the table "The overall best per mode" above shows it:

$OVERALL

| design | chosen as | dense | weight | act | dual |
|---|---|---|---|---|---|
| $(label "$DSTAR") | best in dual mode | $(f3 "$(tpw "$DSTAR" dense)") | $(f3 "$(tpw "$DSTAR" weight)") | $(f3 "$(tpw "$DSTAR" act)") | $(f3 "$(tpw "$DSTAR" dual)") |
| $(label "$SW") | best in weight mode | $(f3 "$(tpw "$SW" dense)") | $(f3 "$(tpw "$SW" weight)") | $(f3 "$(tpw "$SW" act)") | $(f3 "$(tpw "$SW" dual)") |
| $(label "$SA") | best in act mode | $(f3 "$(tpw "$SA" dense)") | $(f3 "$(tpw "$SA" weight)") | $(f3 "$(tpw "$SA" act)") | $(f3 "$(tpw "$SA" dual)") |
| $(label "$DW") | the best dual design's weight side alone | $(f3 "$(tpw "$DW" dense)") | $(f3 "$(tpw "$DW" weight)") | $(f3 "$(tpw "$DW" act)") | $(f3 "$(tpw "$DW" dual)") |
| $(label "$DA") | the best dual design's activation side alone | $(f3 "$(tpw "$DA" dense)") | $(f3 "$(tpw "$DA" weight)") | $(f3 "$(tpw "$DA" act)") | $(f3 "$(tpw "$DA" dual)") |
| $(label "$DENSE") | the dense core | $(f3 "$(tpw "$DENSE" dense)") | $(f3 "$(tpw "$DENSE" weight)") | $(f3 "$(tpw "$DENSE" act)") | $(f3 "$(tpw "$DENSE" dual)") |

**TOPS/W loss of the best dual design: $L_W on weight-only models, $L_A on activation-only
models** (paper: 20-30%). The loss has two parts, split by the design's sides on their own: carrying
the idle side's logic (the dual design against its own weight side alone: $OV_W on weight-only
models; against its activation side alone: $OV_A on activation-only models), and the window the
dual design chose for each side (its side alone against the specialised design: $WIN_W on weight-only,
$WIN_A on activation-only models). Per workload (loss = 1 - dual design / specialised design):

| workload | weight: dual / specialised TOPS/W | loss | act: dual / specialised TOPS/W | loss |
|---|---|---|---|---|
EOF
for w in $(q "SELECT DISTINCT workload FROM wl ORDER BY workload"); do
    dw=$(q "SELECT tpw FROM wl WHERE idx = $DSTAR AND mode = 'weight' AND workload = '$w'")
    sw=$(q "SELECT tpw FROM wl WHERE idx = $SW AND mode = 'weight' AND workload = '$w'")
    da=$(q "SELECT tpw FROM wl WHERE idx = $DSTAR AND mode = 'act' AND workload = '$w'")
    sa=$(q "SELECT tpw FROM wl WHERE idx = $SA AND mode = 'act' AND workload = '$w'")
    echo "| $w | $(f3 "$dw") / $(f3 "$sw") | $(loss "$dw" "$sw") | $(f3 "$da") / $(f3 "$sa") | $(loss "$da" "$sa") |"
done

cat <<EOF

## The hybrid against the best prior preset per mode

Prior presets: $(echo "$PRIOR" | tr -d "'" | sed 's/,/, /g') (\`docs/presets.md\` says what each
approximates and where the model cannot express it). For every mode, the prior preset with the
highest TOPS/W in that mode is the reference. Two hybrids are compared: the \`griffin-hybrid\` preset
and the grid's best hybrid, chosen as the hybrid with the highest geometric mean of TOPS/W over all
four modes ($(label "$HYB")).

| mode | best prior preset | its TOPS/W | griffin-hybrid TOPS/W | ratio | best grid hybrid TOPS/W | ratio | paper |
|---|---|---|---|---|---|---|---|
EOF
for m in $MODES; do
    case $m in dense) p=1.2x ;; weight) p=3.0x ;; act) p=3.1x ;; dual) p=1.4x ;; esac
    bi=$(q "SELECT g.idx FROM gm g JOIN pt ON pt.idx = g.idx WHERE g.mode = '$m' AND pt.preset IN ($PRIOR)
            ORDER BY g.tpw DESC, g.idx LIMIT 1")
    bt=$(tpw "$bi" "$m"); gt=$(tpw "$GRIF" "$m"); ht=$(tpw "$HYB" "$m")
    echo "| $m | $(v "SELECT preset FROM pt WHERE idx = ${bi:-NULL}") | $(f3 "$bt") | $(f3 "$gt") | $(ratio "$gt" "$bt") | $(f3 "$ht") | $(ratio "$ht" "$bt") | $p |"
done
cat <<EOF

Every preset in every mode (TOPS/W, geometric mean; in brackets TOPS/mm2):

| preset | dense | weight | act | dual |
|---|---|---|---|---|
$(q "SELECT '| ' || pt.preset
        || ' | ' || printf('%.3f (%.3f)', d.tpw, d.tpa) || ' | ' || printf('%.3f (%.3f)', w.tpw, w.tpa)
        || ' | ' || printf('%.3f (%.3f)', a.tpw, a.tpa) || ' | ' || printf('%.3f (%.3f)', u.tpw, u.tpa) || ' |'
     FROM pt JOIN gm d ON d.idx = pt.idx AND d.mode = 'dense' JOIN gm w ON w.idx = pt.idx AND w.mode = 'weight'
     JOIN gm a ON a.idx = pt.idx AND a.mode = 'act' JOIN gm u ON u.idx = pt.idx AND u.mode = 'dual'
     WHERE pt.preset IS NOT NULL ORDER BY pt.idx")

EOF

# verdicts computed from the numbers, so that the prose stays true when the model changes
range_verdict() {  # value% lo hi -> below / within / above
    awk -v x="${1%\%}" -v lo="$2" -v hi="$3" 'BEGIN { if (x == "n/a" || x == "") print "not available";
        else if (x + 0 < lo) print "below"; else if (x + 0 > hi) print "above"; else print "within" }'
}
G_DD=$(ratio "$(tpw "$DSTAR" dual)" "$(tpw "$DENSE" dual)")
GRIF_RATIOS=$(for m in $MODES; do
    bi=$(q "SELECT g.idx FROM gm g JOIN pt ON pt.idx = g.idx WHERE g.mode = '$m' AND pt.preset IN ($PRIOR)
            ORDER BY g.tpw DESC, g.idx LIMIT 1")
    printf '%s%s' "$([ "$m" = dense ] || echo ', ')" "$(ratio "$(tpw "$GRIF" "$m")" "$(tpw "$bi" "$m")")"
done)
G_DA=$(ratio "$(q "SELECT max(tpa) FROM gm WHERE mode = 'dual'")" "$(q "SELECT tpa FROM gm WHERE idx = $DENSE AND mode = 'dual'")")
HYB_RATIOS=$(for m in $MODES; do
    bi=$(q "SELECT g.idx FROM gm g JOIN pt ON pt.idx = g.idx WHERE g.mode = '$m' AND pt.preset IN ($PRIOR)
            ORDER BY g.tpw DESC, g.idx LIMIT 1")
    printf '%s%s' "$([ "$m" = dense ] || echo ', ')" "$(ratio "$(tpw "$HYB" "$m")" "$(tpw "$bi" "$m")")"
done)
G_AA=$(ratio "$(tpw "$SA" act)" "$(tpw "$DENSE" act)")
# front members (stored fronts, all workloads) by organisation, as "n of N"
front_share() {  # modes-list condition
    q "SELECT sum(CASE WHEN $2 THEN 1 ELSE 0 END) || ' of ' || count(*) FROM sfront f JOIN pt p ON p.idx = f.idx
       WHERE f.mode IN ($1)"
}
F_ABM=$(front_share "'act','dual'" "p.a_format <> 'none'")
F_ABM_DW=$(front_share "'dense','weight'" "p.a_format <> 'none'")
F_B8=$(front_share "'dense','weight','act','dual'" "p.sram_bank_kib > 0")
F_WBM=$(front_share "'weight','dual'" "p.w_format <> 'none'")
cat <<EOF

## Our figures next to the paper's

| finding | paper | ours (geometric mean over the workloads) |
|---|---|---|
| TOPS/W loss of the best dual-sparse design on weight-only models | 20-30% | $L_W ($(range_verdict "$L_W" 20 30) the paper's range) |
| TOPS/W loss of the best dual-sparse design on activation-only models | 20-30% | $L_A ($(range_verdict "$L_A" 20 30) the paper's range) |
EOF
for m in $MODES; do
    case $m in dense) p=1.2x ;; weight) p=3.0x ;; act) p=3.1x ;; dual) p=1.4x ;; esac
    bi=$(q "SELECT g.idx FROM gm g JOIN pt ON pt.idx = g.idx WHERE g.mode = '$m' AND pt.preset IN ($PRIOR)
            ORDER BY g.tpw DESC, g.idx LIMIT 1")
    echo "| hybrid vs the best prior preset, TOPS/W, $m models | $p | $(ratio "$(tpw "$GRIF" "$m")" "$(tpw "$bi" "$m")") (griffin-hybrid preset), $(ratio "$(tpw "$HYB" "$m")" "$(tpw "$bi" "$m")") (best grid hybrid) |"
done
cat <<EOF

What the model says, in short: sparsity support pays in **throughput per area** (the best dual-mode
TOPS/mm2 is $G_DA that of the dense core on the same dual-sparse models) far more than in **energy
efficiency** (the best dual design's TOPS/W is $G_DD that of the dense core on those models): most
of the energy is SRAM and DRAM traffic that sparsity does not remove. A mode's unused sparse logic is gated:
carrying the other side's logic into a single-sparse mode costs the best dual design $OV_W
(weight-only models) and $OV_A (activation-only models) of TOPS/W; the rest of its loss comes from
its windows, as the windows best for dual-sparse models are not the best for single-sparse ones.
The best grid hybrid reaches $(ratio "$(tpw "$HYB" weight)" "$(tpw "$SW" weight)") and $(ratio "$(tpw "$HYB" act)" "$(tpw "$SA" act)") of the specialised designs' TOPS/W on
weight-only and activation-only models, and $(ratio "$(tpw "$HYB" dual)" "$(tpw "$DSTAR" dual)") of the best dual design's on dual-sparse
models.

### Where the energy goes

Energy per component, summed over one inference of each workload (\`sparsedse eval\`), as a share of
the total: *datapath* = multipliers, adder trees, accumulators (with partial-sum reloads);
*sparse logic* = operand multiplexers, lookahead buffers, metadata (select registers, the weight
selects' and the bitmaps' storage and their SRAM and DRAM traffic), online scheduler, unit-lookaside
trees, zero detectors, encoders and decoders of compressed tensors; the
SRAMs and DRAM = the traffic of the mapper's mapping of every layer (\`docs/memory.md\`) and leakage;
*pipeline + clock* = pipeline registers and clock tree.

| design, mode | datapath | sparse logic | weight SRAM | activation SRAM | output SRAM | DRAM | pipeline + clock | total uJ |
|---|---|---|---|---|---|---|---|---|
| dense core, dense | $BD_DENSE |
| best dual design, dual | $(breakdown "$DSTAR" dual) |
| best dual design, weight | $(breakdown "$DSTAR" weight) |
| best weight-only design, weight | $(breakdown "$SW" weight) |
| best dual design, act | $(breakdown "$DSTAR" act) |
| best act-only design, act | $(breakdown "$SA" act) |

### Closed-form against sampled fidelity

The sweep runs at closed-form fidelity (an analytical expectation of the borrowing speedup). The
same designs evaluated at sampled fidelity (sampled sparsity patterns run through the schedulers;
\`sparsedse eval --fidelity sampled\`, seed of the space) on $FIDW, TOPS/W:

| design, mode | closed-form | sampled |
|---|---|---|
| best dual design, weight | $(f3 "$(cf "$DSTAR" weight)") | $(f3 "$(fid "$DSTAR" weight)") |
| best weight-only design, weight | $(f3 "$(cf "$SW" weight)") | $(f3 "$(fid "$SW" weight)") |
| best dual design, act | $(f3 "$(cf "$DSTAR" act)") | $(f3 "$(fid "$DSTAR" act)") |
| best act-only design, act | $(f3 "$(cf "$SA" act)") | $(f3 "$(fid "$SA" act)") |
| best dual design, dual | $(f3 "$(cf "$DSTAR" dual)") | $(f3 "$(fid "$DSTAR" dual)") |
| dense core, dual | $(f3 "$(cf "$DENSE" dual)") | $(f3 "$(fid "$DENSE" dual)") |

Loss of the best dual design on $FIDW: closed-form $(loss "$(cf "$DSTAR" weight)" "$(cf "$SW" weight)") (weight) and
$(loss "$(cf "$DSTAR" act)" "$(cf "$SA" act)") (act); sampled $(loss "$(fid "$DSTAR" weight)" "$(fid "$SW" weight)") (weight) and $(loss "$(fid "$DSTAR" act)" "$(fid "$SA" act)") (act).

### How the figures moved with sparse data movement

The previous report (tool \`fa3e62c\`, 2026-12-02) had the memory hierarchy but priced every SRAM
access with Horowitz's per-bit figures for one monolithic array of the SRAM's size, stored every
tensor uncompressed but the scheduled weights, gated logic for free and zero detectors at no cost.
Since then (\`docs/memory.md\` "Storage formats", \`docs/cost.md\` "SRAM banks", \`docs/perf.md\`
section 5b): SRAM accesses are priced per bank from CACTI 7.0 at the access width, the study sweeps
8 KiB banks and bitmap-compressed activations and weights as axes (priced codecs, bitmaps as
metadata traffic, worst-case capacity), zero detectors are priced on every core, gated logic keeps 5%
of its dynamic energy (an estimate, \`gated_residual\`), and a tile is bounded by the rows its SRAMs
deliver a cycle. No cost figure was tuned toward the paper.

| figure | before | now |
|---|---|---|
| SRAM share of the dense core's energy, dense models | 41% (DRAM 48%) | ${SRAM_SHARE}% (DRAM ${DRAM_SHARE}%) |
| dense core TOPS/W, dense models | 0.374 | $(f3 "$(tpw "$DENSE" dense)") |
| best dual design's TOPS/W, dual models | 0.658 | $(f3 "$(tpw "$DSTAR" dual)") |
| best dual design / dense core, TOPS/W, dual models | 1.70x | $G_DD |
| best act-only design / dense core, TOPS/W, act models | 1.11x | $G_AA |
| loss of the best dual design, weight-only models | 17.2% | $L_W |
| loss of the best dual design, activation-only models | 7.4% | $L_A |
| griffin-hybrid / best prior preset, TOPS/W (dense, weight, act, dual) | 0.99x, 0.99x, 0.97x, 1.15x | $GRIF_RATIOS |
| best grid hybrid / best prior preset, TOPS/W (dense, weight, act, dual) | 1.10x, 1.14x, 1.11x, 1.27x | $HYB_RATIOS |

Why: (1) CACTI's banks read wide rows for far less per bit than Horowitz's 64-bit cache reads scaled
per bit (a 128 KiB SRAM read 1024 bits wide: 0.81 pJ/bit before, about 0.11 now, \`docs/cost.md\`), so
the SRAMs' share of the dense core fell to ${SRAM_SHARE}% and DRAM, which sparsity reduces only through
compressed or compacted tensors, is now ${DRAM_SHARE}% of it; every TOPS/W rose. (2) Activations stored
as bitmaps cross DRAM and the SRAMs at their density plus a bit per element: $F_ABM members of the
stored act and dual fronts (all workloads) store them so, and $F_ABM_DW of the dense and weight
fronts, where activations are dense and a bitmap only costs; weights as bitmaps (designs without a
weight window) are $F_WBM of the weight and dual fronts' members. (3) 8 KiB banks are
$F_B8 of all front members (section "Storage formats and SRAM banks"). (4) The designs now pay for
zero detection and for a residual of their gated logic (the "sparse logic" column): carrying its idle
side costs the best dual design $OV_W on weight-only and $OV_A on activation-only models (before:
0.2% and 0.3%). (5) The grid's SRAMs deliver what the windows need (\`sram_rows: 0\`, priced as that many
banks); section "SRAM bandwidth and borrowing" shows what a narrower SRAM costs the best dual design.
(6) An SRAM of several banks pays the routing to them (fitted to CACTI's multi-bank runs,
\`docs/cost.md\`), and a window of lookahead H reads from 1 + H banks: borrowing now costs SRAM energy
as well as logic, which is why a core that borrows on neither side but compresses its tensors can be
the most efficient design of a sparse mode (section "The best dual-sparse design on single-sparse
models" lists the best design of each mode against the best of its class); borrowing designs keep
their lead in TOPS/mm2.

### How the figures moved with the memory model

The previous report (tool \`4e0f0ec\`, 2026-11-26) priced every operand as streamed from SRAM once
per array tile, with no SRAM capacity, no DRAM and one SRAM size (128/128/32 KiB). Since then every
layer is mapped (\`docs/memory.md\`): SRAM reads, fills and updates and DRAM traffic follow
Timeloop's counting rules, the SRAM sizes are axes, DRAM (two DDR3-1600 channels) costs energy and
bounds a layer's time. No cost figure was tuned toward the paper.

| figure | before | now |
|---|---|---|
| SRAM share of the dense core's energy, dense models | 78% | ${SRAM_SHARE}% (DRAM ${DRAM_SHARE}%) |
| dense core TOPS/W, dense models | 0.811 | $(f3 "$(tpw "$DENSE" dense)") |
| best dual design's TOPS/W, dual models | 1.252 | $(f3 "$(tpw "$DSTAR" dual)") |
| best dual design / dense core, TOPS/W, dual models | 1.43x | $G_DD |
| best dual-mode TOPS/mm2 / dense core's | 3.36x | $G_DA |
| loss of the best dual design, weight-only models | 7.6% | $L_W |
| loss of the best dual design, activation-only models | 2.9% | $L_A |
| griffin-hybrid / best prior preset, TOPS/W (dense, weight, act, dual) | 1.00x, 0.97x, 0.95x, 1.12x | $GRIF_RATIOS |

Why: (1) the reads that stream operands to the multipliers are counted as before (one per element
and step, multicast along a row or column: the same totals the per-tile model had); (2) every
design now also pays for DRAM and for filling the SRAMs (the dense core: ${SRAM_SHARE}% of its energy
in the SRAMs, ${DRAM_SHARE}% in DRAM), which lowers every TOPS/W and makes what sparsity saves in
weight traffic count for more; (3) the
grid offers smaller SRAMs, cheaper per access and in area, and the designs on a front take them
unless the DRAM traffic they cause costs more (section "The SRAM sizes the designs take"); (4)
layers whose DRAM traffic outlasts their compute (fully connected layers at batch 1, some 1x1
convolutions) run at DRAM speed, where a sparse design gains only what its compacted weights save;
(5) weights stored in their borrowing schedule cross DRAM compacted too.

### Why our figures differ from the paper's

The paper's body (its core dimensions, its notation, its cost numbers and its exact designs) is not
available to us; we have its abstract. Our study is the same *kind* of experiment on our own model,
and these are the differences we know of:

1. **Energy costs and the SRAM share.** Our costs are 45 nm figures (Horowitz, ISSCC 2014, for
   arithmetic; CACTI 7.0 for SRAM banks; DDR3 for DRAM: the technology file
   \`spaces/tech/45nm.yaml\` gives each with its source). On these costs the dense core spends about
   **${SRAM_SHARE}%** of its energy in SRAM and **${DRAM_SHARE}%** in DRAM on the dense models (table
   above). The memory model counts, as Timeloop does, one SRAM read per operand element and step
   with no register at the multiplier; a tensor shrinks where it is stored compressed (scheduled
   weights, and the \`a_format\`/\`w_format\` bitmaps) and moves its zeros elsewhere (about
   ${ASRAM_DUAL}% of the best dual design's energy in dual mode is activation-SRAM traffic). DRAM
   traffic, most of every design's energy, is what bounds the TOPS/W gain from sparsity.
   The paper's abstract says the overhead is worst for low-precision cores whose SRAM per core is
   already tuned small: where SRAM is a smaller share of the energy, the sparse logic is a larger
   one, which is presumably what makes a dual design's idle logic (the 20-30% loss) and its re-use
   by the hybrid (up to 3x) matter there. We did not rescale our costs toward that.
2. **Gating.** With \`gating: true\` logic a mode does not use is bypassed and clock-gated and costs
   only its leakage, so a gated dual design in a single-sparse mode pays almost nothing for its idle
   side (the sparse-logic column above); the best dual design above has \`gating: $(v "SELECT CASE WHEN gating THEN 'true' ELSE 'false' END FROM pt WHERE idx = $DSTAR")\`.
   $UNGATED
3. **Our windows and our hybrid rule.** Designs are borrowing windows (lookahead, lookaside, T or
   rect shape, unit lookaside) on a 16-lane, 8 x 8 core of our choosing; the grid covers lookahead
   up to 4 and lookaside up to 8. The hybrid may re-use the other side's multiplexer inputs and
   buffers under the rule of \`src/mode.c\` (fan-in at most the sum of both sides' fan-ins minus one,
   lookahead at most the deepest buffer it owns); that rule is our reading of the abstract, not the
   paper's design, and the re-routing wires are not priced.
4. **The prior architectures are presets on our core**, each an approximation with documented gaps
   (\`docs/presets.md\`): e.g. SparTen's bitmask join becomes a fan-in-52 window, Cnvlutin's
   compressed activations become a 15-deep lookahead buffer, and the 2:4 Sparse Tensor Core
   borrows from unstructured sparsity here, which flatters it on all workloads but the 2:4 one.
   The paper compares against the architectures themselves, each with its own core, SRAM and
   dataflow; ours share one core, which removes most of the differences the paper measured.
5. **An optimistic bound in cascaded dual mode.** The performance model does not report the length
   of the static (weight) stage of a cascaded dual schedule, so the cost model scales the weight-SRAM
   and metadata reads by the bound \`max(T / dense_cycles, density_w)\` (\`docs/cost.md\`): the
   weight stream is charged as if compressed as much as the whole schedule. That favours dual designs
   that leave most of the skipping to the activation side and keep a small weight window (the best
   dual design here is $(label "$DSTAR")), and such a design then does poorly on weight-only models,
   so part of our dual-vs-specialised loss may come from this bound rather than from the hardware.
6. **Closed-form fidelity.** The sweep uses the analytical model of borrowing; the sampled
   cross-check above shows how far it is from scheduling sampled sparsity patterns on one network.
7. **Workloads and densities.** Our five networks and their densities (\`workloads/*.yaml\`,
   \`docs/workloads-data.md\`: e.g. 80% weight sparsity for pruned CNNs, stage-wise ReLU densities)
   are our choices from published sources; the paper's models and densities are not known to us.
EOF
} >"$OUT"
mv "$OUT" "$DOC"
echo "reproduce.sh: wrote $DOC and docs/reproduction-{$(echo $MODES | tr ' ' ',')}.png" >&2
