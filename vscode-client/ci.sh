#!/usr/bin/env bash
# CI for the VS Code extension: install, build, test, package, and check the .vsix.
# Called from the repository's main CI as `bash vscode-client/ci.sh` (any working directory).
# The end-to-end test needs the factlint server: $FACTLINT_SERVER_COMMAND, ../.venv/bin/factlint
# or `factlint` on PATH; with CI set, a missing server fails the run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

echo "== vscode-client: node $(node --version), npm $(npm --version 2>/dev/null)"
npm ci --no-audit --no-fund
npm run build
npm test
rm -f ./*.vsix
npm run package

# unzip is on the machine images; python3's zipfile is the fallback.
vsix_cat() {
  if command -v unzip >/dev/null; then unzip -p "$1" "$2"; else python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"; fi
}
vsix_list() {
  if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi
}

version="$(node -p "require('./package.json').version")"
vsix="factlint-${version}.vsix"
if [[ ! -f "$vsix" ]]; then
  echo "ci.sh: $vsix was not produced" >&2
  exit 1
fi

# The packaged manifest contributes every setting and command.
vsix_cat "$vsix" extension/package.json | node scripts/check-manifest.js -

# The package holds the bundle, manifest, README and LICENSE, and no sources or node_modules.
listing="$(vsix_list "$vsix")"
for required in extension/package.json extension/dist/extension.js extension/readme.md extension/LICENSE.txt; do
  if ! grep -qxiF "$required" <<<"$listing"; then
    echo "ci.sh: $vsix lacks $required" >&2
    echo "$listing" >&2
    exit 1
  fi
done
if grep -qE '^extension/(node_modules|src|test|out)/' <<<"$listing"; then
  echo "ci.sh: $vsix contains files that belong out of it:" >&2
  grep -E '^extension/(node_modules|src|test|out)/' <<<"$listing" >&2
  exit 1
fi
echo "ci.sh: $vsix OK ($(wc -l <<<"$listing") entries)"

# The real VS Code test: code-server (installed once, then cached) with this .vsix, driven in
# headless Chromium; screenshots land in e2e/artifacts/.
bash e2e/install-code-server.sh
start=$SECONDS
npm run test:vscode
echo "ci.sh: real VS Code test took $((SECONDS - start)) s (screenshots: $PWD/e2e/artifacts/)"
