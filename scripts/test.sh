#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need when missing, builds,
# tests, and prints one closing line "N passed, N failed, N skipped". Fails when any test fails or
# when no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need, installed when missing: FUSE (libfuse3, fusermount3), mdevctl for the conformance tests, pciutils (lspci, setpci) for the PCI sysfs tests, udev (udevadm) for the libudev tests, libvirt-daemon (libvirtd with the node-device driver) and libvirt-clients (virsh) for the libvirt tests.
need_apt=(fuse3 mdevctl pciutils udev libvirt-daemon libvirt-clients)
missing_apt=()
for pkg in "${need_apt[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing_apt+=("$pkg")
done
if [ "${#missing_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing Debian packages ${missing_apt[*]} and not root; install them first" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" || exit 1
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build MdevCore.sln -c Release 2>&1 | tail -n 3
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  dotnet build MdevCore.sln -c Release 2>&1 | grep -E "error" | sort -u | head -50
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test MdevCore.sln -c Release --no-build 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(awk '/^(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log")
echo "$summary"
total=$(echo "$summary" | awk '{print $1 + $3 + $5}')
if [ "$total" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$rc"
