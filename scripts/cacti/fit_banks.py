#!/usr/bin/python3
"""fit_banks.py -- fit the inter-bank routing of spaces/tech/45nm.yaml to CACTI's multi-bank runs.

usage: scripts/cacti/fit_banks.py [scripts/cacti/banks.csv]

banks.csv holds CACTI 7.0 runs of one SRAM of `kib` KiB built as `banks` banks (a UCA with
`-UCA bank count N`, otherwise the configuration of table.csv, see README.md), read `width_bits`
wide. CACTI's per-access energy of an N-bank SRAM is one bank's access plus the H-tree from the
array's centre to that bank (uca.cc, UCA::compute_power_energy: power_routing_to_bank). The model
(docs/cost.md, "SRAM banks") prices an SRAM of N > 1 banks as

    area   = N * bank_area * (1 + sram_route_area_share)
    energy = bank_energy + width * sram_route_pj_per_bit_mm * sqrt(area) * (1 - 1/sqrt(N))

with bank_energy, bank_area the one-bank runs of kib/N KiB. The area share is the geometric mean
of area / (N * bank_area); the wire coefficient minimises the squared log error of the energy
(a grid of 0.005 pJ/bit/mm). Prints both with the errors.
"""
import csv
import math
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "scripts/cacti/banks.csv"
runs = {}
for r in csv.DictReader(open(path)):
    runs[(int(r["kib"]), int(r["width_bits"]), int(r["banks"]))] = (float(r["read_pj"]), float(r["area_mm2"]))
pts = []
for (k, w, n), (e, a) in sorted(runs.items()):
    if n > 1 and (k // n, w, 1) in runs:
        eb, ab = runs[(k // n, w, 1)]
        pts.append((k, w, n, e, a, eb, ab))
share = math.exp(sum(math.log(a / (n * ab)) for k, w, n, e, a, eb, ab in pts) / len(pts)) - 1


def errors(c):
    return [math.log((eb + w * c * math.sqrt(n * ab * (1 + share)) * (1 - 1 / math.sqrt(n))) / e)
            for k, w, n, e, a, eb, ab in pts]


best = min((sum(x * x for x in errors(c / 1000)), c / 1000) for c in range(5, 2000, 5))
coef = best[1]
ee = errors(coef)
ea = [math.log(n * ab * (1 + share) / a) for k, w, n, e, a, eb, ab in pts]
rms = lambda v: math.sqrt(sum(x * x for x in v) / len(v))
print(f"runs: {len(pts)} multi-bank (N >= 2) with a one-bank run of their bank size")
print(f"sram_route_area_share = {share:.2f}   area error: rms {rms(ea):.2f}, "
      f"model/CACTI {math.exp(min(ea)):.2f}..{math.exp(max(ea)):.2f}")
print(f"sram_route_pj_per_bit_mm = {coef:.3f}   energy error: rms {rms(ee):.2f}, "
      f"model/CACTI {math.exp(min(ee)):.2f}..{math.exp(max(ee)):.2f}")
ne = [math.log(eb / e) for k, w, n, e, a, eb, ab in pts]
print(f"without routing (one bank's energy): model/CACTI {math.exp(min(ne)):.2f}..{math.exp(max(ne)):.2f}")
