#!/usr/bin/env bash
# Builds the page into dist/ with the machine's Node.js and npm (called by Maven, module web). npm ci only when the
# lock file changed since the last install, so a rebuild without dependency changes costs only Vite's few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v npm >/dev/null || { echo "web: npm (Node.js >= 20) is needed to build the page" >&2; exit 1; }
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
# Maven copies dist/ into target/classes without deleting what an earlier build put there: old hashed assets go first.
rm -rf target/classes/filehost-web
