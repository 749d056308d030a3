# Shared shell helpers for scripts/test.sh and scripts/start.sh (sourced, not run).

# Installs node_modules when missing or when package-lock.json changed since
# the last install (its hash is kept in node_modules/.duban-lock-hash).
ensure_node_modules() {
  local want have=""
  if [ -f package-lock.json ]; then
    want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  else
    want="no-lock:$(sha256sum package.json | cut -d' ' -f1)"
  fi
  [ -f node_modules/.duban-lock-hash ] && have="$(cat node_modules/.duban-lock-hash)"
  if [ -d node_modules ] && [ "$want" = "$have" ]; then
    return 0
  fi
  if [ -f package-lock.json ]; then
    echo "[deps] npm ci (node_modules missing or package-lock.json changed)" >&2
    # npm 11 can reject its own lockfile over platform-specific optional
    # packages ("Missing: @unrs/resolver-binding-... from lock file", npm/cli
    # #8805, #9846); `npm install` honours the same lockfile, so fall back to it.
    local log
    log="$(mktemp)"
    if npm ci --no-audit --no-fund >"$log" 2>&1; then
      cat "$log" >&2
    else
      grep -m 5 'npm error' "$log" >&2 || true
      echo "[deps] npm ci failed (above); falling back to npm install with the same lockfile" >&2
      npm install --no-audit --no-fund >&2
    fi
    rm -f "$log"
  else
    echo "[deps] npm install (no package-lock.json)" >&2
    npm install --no-audit --no-fund >&2
    want="no-lock:$(sha256sum package.json | cut -d' ' -f1)"
  fi
  echo "$want" >node_modules/.duban-lock-hash
}

# Builds the web console into dist/web when missing or stale (scripts/build-web.sh
# keys the build by a hash of web/, package-lock.json and the API's OpenAPI document).
ensure_web_build() {
  bash scripts/build-web.sh
}
