#!/usr/bin/env bash
# Everything a fresh clone needs: system packages (as root, or with sudo), a virtual
# environment in .venv with the package and the chosen extras. Idempotent.
#   scripts/setup.sh                 the server (bubblewrap, solvers for the sandbox)
#   scripts/setup.sh --dev           everything the tests need (docker, torch CPU, extras)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: '$*' needs root; run it yourself or rerun as root" >&2; return 1; fi; }

missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
# A root server runs the local sandbox's code through setpriv as an unprivileged uid
# (util-linux on Debian 12; its own package from Debian 13).
command -v setpriv >/dev/null || missing+=("$( (apt-cache show setpriv >/dev/null 2>&1 && echo setpriv) || echo util-linux)")
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]} from Debian's packages"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
"${pip[@]}" --upgrade pip
if [ "$dev" -eq 1 ]; then
    # The CPU build of torch, before the extras: an unpinned torch pulls GBs of CUDA packages.
    "${pip[@]}" "torch==2.13.0"
    "${pip[@]}" -e ".[test,solvers,symbench,eval,hf,train,docker,guide-train]"
else
    "${pip[@]}" -e ".[solvers]"
fi
echo "setup: done; the command is .venv/bin/mcp-codesteer"
