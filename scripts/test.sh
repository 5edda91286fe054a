#!/usr/bin/env bash
# The test command: sets up a fresh machine (packages, dockerd and the sandbox image,
# the MCP Inspector) and runs the whole suite. Extra arguments go to pytest.
#   scripts/test.sh
#   scripts/test.sh tests/server -k steer
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --dev
export PATH="$PWD/.venv/bin:$PATH"

# The docker sandbox: docker.io, dockerd and the image (needs root; CI runs as root).
if [ "$(id -u)" -eq 0 ] || docker info >/dev/null 2>&1; then
    bash .ci/docker-setup.sh
else
    echo "test: not root and no docker daemon: docker tests will be skipped"
fi

# The MCP Inspector's CLI, to check the server against an independent client.
if command -v npm >/dev/null && [ ! -x .cache/inspector/node_modules/.bin/mcp-inspector ]; then
    npm install --silent --no-audit --no-fund --prefix .cache/inspector @modelcontextprotocol/inspector@0 \
        || echo "test: the MCP Inspector could not be installed; its test will be skipped"
fi
export MCP_INSPECTOR="$PWD/.cache/inspector/node_modules/.bin/mcp-inspector"

export HF_HUB_OFFLINE=1
set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "test: pytest collected no tests" >&2
fi
exit "$status"
