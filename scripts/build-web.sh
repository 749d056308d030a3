#!/usr/bin/env bash
# Builds the web console (web/) into dist/web when it is missing or stale, like
# scripts/lib.sh does for node_modules: the build is keyed by a hash of the web
# sources, the lockfile and the API's OpenAPI document (regenerated here every
# time), so a changed route rebuilds the console and, if the console no longer
# fits the API, fails the build.
#   1. scripts/openapi.ts        -> dist/openapi.json
#   2. openapi-typescript        -> web/src/api/schema.d.ts (generated, not committed)
#   3. vue-tsc                   -> type-checks the console against it
#   4. vite build                -> dist/web (served by the API at /)
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist/web
npx --no-install tsx scripts/openapi.ts dist/openapi.json >/dev/null
want="$(
  {
    find web -type f \( -path web/src/api/schema.d.ts -prune -o -print \) | LC_ALL=C sort | xargs sha256sum
    sha256sum package-lock.json dist/openapi.json
  } | sha256sum | cut -d' ' -f1
)"
if [ -f "$out/index.html" ] && [ "$(cat "$out/.build-hash" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "[web] building the console (web/ or the API changed)" >&2
npx --no-install openapi-typescript dist/openapi.json -o web/src/api/schema.d.ts >/dev/null
npx --no-install vue-tsc --noEmit -p web/tsconfig.json
rm -rf "$out"
npx --no-install vite build --config web/vite.config.mts --logLevel warn >&2
echo "$want" >"$out/.build-hash"
echo "[web] console built into $out" >&2
