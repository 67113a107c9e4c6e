#!/usr/bin/env bash
# Installs code-server (a real VS Code) offline-friendly into $1 (default: ~/.cache/factlint-ci/
# code-server-VERSION), for the real-VS-Code test (e2e/vscode.test.mjs). Nothing is downloaded
# at run time but npm packages: the native modules are built from source here (apt:
# build-essential, libkrb5-dev) and Debian's ripgrep stands in for @vscode/ripgrep's download.
# A finished install is kept and reused (a marker file says it is complete).
set -euo pipefail
VERSION=${CODE_SERVER_VERSION:-4.100.3}
PREFIX=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/factlint-ci/code-server-$VERSION}
CS="$PREFIX/lib/node_modules/code-server"
if [ -f "$PREFIX/.complete" ]; then
  echo "code-server $VERSION: cached in $PREFIX"
  exit 0
fi
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# node-gyp for the native modules' install scripts (they call it through npx)
npm install -g --prefix "$PREFIX/tools" --no-audit --no-fund node-gyp
export PATH="$PREFIX/tools/bin:$PATH" npm_config_yes=true
npm install -g --prefix "$PREFIX" --ignore-scripts --no-audit --no-fund "code-server@$VERSION"
cd "$CS"
npm rebuild argon2  # no prebuilt binary can be fetched: it builds from source
cd lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
npm rebuild node-pty @vscode/spdlog kerberos native-watchdog @vscode/deviceid @parcel/watcher
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
touch "$PREFIX/.complete"
echo "code-server $VERSION: installed in $PREFIX"
