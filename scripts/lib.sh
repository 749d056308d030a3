# Shared shell helpers for scripts/test.sh and scripts/start.sh (sourced, not run).

# Installs node_modules with `npm ci` (exactly package-lock.json) when missing or
# when the lockfile changed since the last install (its hash is kept in
# node_modules/.duban-lock-hash). A failed `npm ci` stops here with npm's
# reason: the lockfile is what CI and the Docker image install, so it must work.
ensure_node_modules() {
  local want have=""
  if [ ! -f package-lock.json ]; then
    echo "[deps] package-lock.json is missing: run 'npm install' once and commit the lockfile" >&2
    return 1
  fi
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  [ -f node_modules/.duban-lock-hash ] && have="$(cat node_modules/.duban-lock-hash)"
  if [ -d node_modules ] && [ "$want" = "$have" ]; then
    return 0
  fi
  echo "[deps] npm ci (node_modules missing or package-lock.json changed)" >&2
  if ! npm ci --no-audit --no-fund >&2; then
    echo "[deps] npm ci failed (npm's reason above). If package.json and package-lock.json disagree," >&2
    echo "[deps] run 'npm install' once, check the lockfile diff and commit it." >&2
    return 1
  fi
  echo "$want" >node_modules/.duban-lock-hash
}

# Builds the web console into dist/web when missing or stale (scripts/build-web.sh
# keys the build by a hash of web/, package-lock.json and the API's OpenAPI document).
ensure_web_build() {
  bash scripts/build-web.sh
}
