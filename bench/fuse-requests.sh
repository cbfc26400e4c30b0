#!/usr/bin/env bash
# FUSE requests that one `mdevctl list` (and `mdevctl types`) costs against the default topology with N
# active devices: the difference between a run that only creates the devices and one that also lists.
# Needs root, fuse3 and mdevctl. Usage: [ENTRY_TIMEOUT=60] bench/fuse-requests.sh [path/to/mdevsim]
set -euo pipefail
mdevsim=${1:-$(dirname "$0")/../src/MdevCore.Cli/bin/Release/net10.0/mdevsim}
count() { "$mdevsim" run --stats ${ENTRY_TIMEOUT:+--entry-timeout "$ENTRY_TIMEOUT"} -- sh -c "$1" 2>&1 >/dev/null | sed -n 's/^mdevsim: \([0-9]*\) FUSE requests served$/\1/p'; }
printf '%-4s %-14s %-14s\n' N "mdevctl list" "mdevctl types"
for n in 0 1 3 10; do
  mk="for i in \$(seq 1 $n); do printf '%08d-0000-0000-0000-000000000000' \$i > /sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/create; done"
  base=$(count "$mk")
  list=$(count "$mk; mdevctl list")
  types=$(count "$mk; mdevctl types")
  printf '%-4s %-14s %-14s\n' "$n" "$((list - base))" "$((types - base))"
done
