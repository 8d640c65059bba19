#!/bin/sh
# entries.sh -- print the technology-file entries of a CACTI bank table (scripts/cacti/README.md).
# Usage: scripts/cacti/entries.sh scripts/cacti/table.csv >> spaces/tech/45nm.yaml
src="CACTI 7.0 (HewlettPackard/cacti 1ffd8df), 45 nm itrs-hp ram, 1 bank, 1 RW port, 350 K, no ECC, ED^2 (scripts/cacti/README.md)"
awk -F, -v src="$src" 'NR > 1 && $3 != "" {
    printf "sram_cacti_%sk_%sb_pj:  {value: %s, unit: pJ,  source: \"%s: read energy per access of a %s KiB bank %s bits wide\"}\n", $1, $2, $3, src, $1, $2
    printf "sram_cacti_%sk_%sb_mm2: {value: %s, unit: mm2, source: \"%s: area of a %s KiB bank %s bits wide\"}\n", $1, $2, $5, src, $1, $2
}' "$1"
