#!/usr/bin/env bash
# Installs the external tools duban needs into a cache outside the repo, keyed by
# version, and prints the absolute path of the requested tool on stdout.
#
#   bash scripts/tools.sh temporal      -> path of a Temporal CLI binary (>= 1.5)
#   bash scripts/tools.sh test-server   -> path of a wrapper running the Java time-skipping test server
#   bash scripts/tools.sh postgres      -> bin dir of PostgreSQL (initdb, pg_ctl, ...)
#   bash scripts/tools.sh chromium      -> path of Debian's Chromium (with CJK fonts) for the browser tests
#   bash scripts/tools.sh temporal-server -> dir with bin/temporal-server, bin/temporal-sql-tool and
#                                          schema/postgresql/v12 (the production server, for tests/slow)
#   bash scripts/tools.sh docker-compose -> path of docker-compose (Debian's 1.29: validates docker-compose.yml
#                                          offline; no Docker engine needed)
#   bash scripts/tools.sh all           -> ensures all of them, prints nothing on stdout
#
# Progress goes to stderr; only the path goes to stdout, so callers can do
# TEMPORAL=$(bash scripts/tools.sh temporal).
#
# The machine is offline except for package registries: vendor downloads (what
# @temporalio/testing does by default) fail, so everything is built or fetched
# from the Go module proxy, Maven Central or Debian.
set -euo pipefail

TOOLS_DIR="${DUBAN_TOOLS_DIR:-$HOME/.cache/duban/tools}"
TEMPORAL_CLI_VERSION="1.5.1"
# The server the CLI above embeds (CLI 1.5.1 = server 1.29.1), built as the
# standalone production binaries; docker-compose.yml pins the same version.
TEMPORAL_SERVER_VERSION="1.29.1"
TEST_SERVER_VERSION="1.32.1"
# Bump when the way the test server is fetched changes, to refetch cached copies.
TEST_SERVER_RECIPE="2"

log() { echo "[tools] $*" >&2; }
die() {
  echo "[tools] ERROR: $*" >&2
  exit 1
}

# Run "$@" while holding an exclusive lock named $1, so parallel invocations
# (jest workers, npm start + npm test) never build the same tool twice.
with_lock() {
  local name="$1"
  shift
  mkdir -p "$TOOLS_DIR"
  local lockfile="$TOOLS_DIR/.$name.lock"
  (
    flock -x 9
    "$@"
  ) 9>"$lockfile"
}

# True if version $1 (x.y.z) >= $2 (x.y.z).
version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# ---------------------------------------------------------------- temporal CLI

temporal_hint() {
  cat >&2 <<EOF
[tools] To fix this, one of:
  - put a Temporal CLI >= 1.5 on PATH (build it: GOBIN=/usr/local/bin go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION, needs Go >= 1.23),
  - or set TEMPORAL_ADDRESS=host:port to an already running Temporal server (npm start / npm test then use it).
EOF
}

# The version reported by "temporal --version", e.g. "temporal version 1.5.1 (Server 1.29.1, UI 2.41.0)".
# A CLI built with "go install" reports 0.0.0-DEV; then read the module
# version from the Go build info instead.
temporal_version_of() {
  local v
  v="$("$1" --version 2>/dev/null | sed -n 's/^temporal version \([0-9][0-9.]*\).*/\1/p' | head -n1)"
  if [ "$v" = "0.0.0" ] && command -v go >/dev/null 2>&1; then
    v="$(go version -m "$1" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/temporalio/cli" { sub(/^v/, "", $3); print $3 }')"
  fi
  echo "$v"
}

build_temporal() {
  local dir="$TOOLS_DIR/temporal-cli-v$TEMPORAL_CLI_VERSION"
  local bin="$dir/bin/temporal"
  [ -x "$bin" ] && return 0

  # Another process (outside this lock, e.g. a build started by hand) may
  # already be compiling the same version: wait for it rather than starting a
  # second multi-minute build on a 2-core machine.
  local waited=0
  while pgrep -f "go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" >/dev/null 2>&1; do
    if [ $((waited % 60)) -eq 0 ]; then
      log "waiting for a running build of temporal CLI v$TEMPORAL_CLI_VERSION to finish (${waited}s)..."
    fi
    sleep 5
    waited=$((waited + 5))
  done
  [ -x "$bin" ] && return 0

  command -v go >/dev/null 2>&1 || {
    log "Temporal CLI not found and Go is not installed, so it cannot be built."
    temporal_hint
    exit 1
  }
  log "building Temporal CLI v$TEMPORAL_CLI_VERSION with $(go version) (first build takes several minutes)..."
  # Build into a temporary GOBIN and move into place, so an interrupted build
  # never leaves a half-written binary at the cached path.
  local tmpbin="$dir/bin.tmp.$$"
  rm -rf "$tmpbin"
  mkdir -p "$tmpbin"
  if ! GOBIN="$tmpbin" go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" >&2; then
    rm -rf "$tmpbin"
    log "go install of the Temporal CLI failed (see above)."
    temporal_hint
    exit 1
  fi
  mkdir -p "$dir/bin"
  mv "$tmpbin/temporal" "$bin"
  rm -rf "$tmpbin"
  log "built $bin"
}

tool_temporal() {
  local onpath
  if onpath="$(command -v temporal 2>/dev/null)"; then
    local v
    v="$(temporal_version_of "$onpath")"
    if [ -n "$v" ] && version_ge "$v" "1.5.0"; then
      echo "$onpath"
      return 0
    fi
    log "ignoring $onpath (version '${v:-unknown}', need >= 1.5)"
  fi
  local bin="$TOOLS_DIR/temporal-cli-v$TEMPORAL_CLI_VERSION/bin/temporal"
  if [ ! -x "$bin" ]; then
    with_lock "temporal-cli-v$TEMPORAL_CLI_VERSION" build_temporal
  fi
  [ -x "$bin" ] || {
    log "Temporal CLI missing at $bin after build."
    temporal_hint
    exit 1
  }
  echo "$bin"
}

# ---------------------------------------------------------- java test server

test_server_hint() {
  cat >&2 <<EOF
[tools] To fix this, one of:
  - install a JDK >= 11 and Maven (as root: apt-get install -y openjdk-17-jre-headless maven) and rerun,
  - or set TEMPORAL_TEST_SERVER_PATH to an existing executable of the Temporal time-skipping test server.
EOF
}

fetch_test_server() {
  local dir="$TOOLS_DIR/temporal-test-server-$TEST_SERVER_VERSION"
  [ "$(cat "$dir/.complete" 2>/dev/null)" = "$TEST_SERVER_RECIPE" ] && return 0
  command -v mvn >/dev/null 2>&1 || {
    log "Maven (mvn) is not installed."
    test_server_hint
    exit 1
  }
  log "fetching io.temporal:temporal-test-server:$TEST_SERVER_VERSION from Maven Central..."
  mkdir -p "$dir"
  rm -rf "$dir/lib"
  # A throwaway pom whose only purpose is to let Maven resolve the artifact and
  # its transitive runtime dependencies into lib/.
  cat >"$dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>duban.tools</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
    <!-- Silences SLF4J's "no binding" warning the server prints on every start. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
EOF
  # Maven's output is noise on success; keep it in a log shown on failure.
  if ! mvn -q -B -f "$dir/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir/lib" >"$dir/mvn.log" 2>&1; then
    cat "$dir/mvn.log" >&2
    log "Maven could not fetch the test server (see above; log in $dir/mvn.log)."
    test_server_hint
    exit 1
  fi
  cat >"$dir/temporal-test-server" <<EOF
#!/usr/bin/env bash
# Temporal time-skipping test server $TEST_SERVER_VERSION (Java), args: <port> [--enable-time-skipping]
exec java \${TEMPORAL_TEST_SERVER_JAVA_OPTS:-} -cp '$dir/lib/*' io.temporal.testserver.TestServer "\$@"
EOF
  chmod +x "$dir/temporal-test-server"
  echo "$TEST_SERVER_RECIPE" >"$dir/.complete"
  log "test server ready in $dir"
}

tool_test_server() {
  if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
    [ -x "$TEMPORAL_TEST_SERVER_PATH" ] || die "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file."
    echo "$TEMPORAL_TEST_SERVER_PATH"
    return 0
  fi
  command -v java >/dev/null 2>&1 || {
    log "Java is not installed; the time-skipping test server is a Java program."
    test_server_hint
    exit 1
  }
  local dir="$TOOLS_DIR/temporal-test-server-$TEST_SERVER_VERSION"
  if [ "$(cat "$dir/.complete" 2>/dev/null)" != "$TEST_SERVER_RECIPE" ]; then
    with_lock "temporal-test-server-$TEST_SERVER_VERSION" fetch_test_server
  fi
  echo "$dir/temporal-test-server"
}

# ------------------------------------------------------------------ postgres

newest_pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
    echo "$d"
  fi
}

install_postgres() {
  [ -n "$(newest_pg_bin)" ] && return 0
  log "PostgreSQL not found; installing Debian's postgresql package..."
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update >&2 && apt-get install -y --no-install-recommends postgresql >&2; }; then
    die "apt-get install postgresql failed. Install PostgreSQL (>= 14) by hand, or set DATABASE_URL to an existing database."
  fi
}

tool_postgres() {
  local d
  d="$(newest_pg_bin)"
  if [ -z "$d" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      with_lock postgres-apt install_postgres
      d="$(newest_pg_bin)"
    else
      die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: sudo apt-get install -y postgresql), or set DATABASE_URL to an existing database."
    fi
  fi
  [ -n "$d" ] || die "PostgreSQL still not found after install. Install it by hand, or set DATABASE_URL to an existing database."
  echo "$d"
}

# ------------------------------------------------------------------ chromium

# The browser tests drive Debian's Chromium with playwright-core: Playwright's own
# browser download is impossible offline. Without the CJK fonts Chinese renders
# as boxes in screenshots.
CHROMIUM_BIN=/usr/bin/chromium

install_chromium() {
  [ -x "$CHROMIUM_BIN" ] && dpkg -s fonts-noto-cjk >/dev/null 2>&1 && return 0
  log "Chromium or the CJK fonts not found; installing Debian's chromium and fonts-noto-cjk..."
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update >&2 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk >&2; }; then
    die "apt-get install chromium fonts-noto-cjk failed. Install them by hand (Debian: apt-get install -y chromium fonts-noto-cjk), or set CHROMIUM_PATH to a Chromium binary."
  fi
}

tool_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file."
    echo "$CHROMIUM_PATH"
    return 0
  fi
  if ! [ -x "$CHROMIUM_BIN" ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      with_lock chromium-apt install_chromium
    else
      die "Chromium not found at $CHROMIUM_BIN. Install it (Debian/Ubuntu: sudo apt-get install -y chromium fonts-noto-cjk), or set CHROMIUM_PATH."
    fi
  fi
  echo "$CHROMIUM_BIN"
}

# ------------------------------------------------------- temporal server (PostgreSQL)

# go.temporal.io/server's own binaries: the multi-service server and
# temporal-sql-tool, plus the module's PostgreSQL schema files (copied out of
# the Go module cache, which may be cleaned). v1.29.1's go.mod has no replace
# directive, so `go install …@v1.29.1` works.
build_temporal_server() {
  local dir="$TOOLS_DIR/temporal-server-v$TEMPORAL_SERVER_VERSION"
  [ -f "$dir/.complete" ] && return 0
  command -v go >/dev/null 2>&1 || die "Go is not installed, so the Temporal server cannot be built (needs Go >= 1.23)."
  log "building Temporal server v$TEMPORAL_SERVER_VERSION and temporal-sql-tool with $(go version) (first build takes several minutes)..."
  local tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp/bin"
  if ! GOBIN="$tmp/bin" go install "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" >&2; then
    rm -rf "$tmp"
    die "go install of go.temporal.io/server v$TEMPORAL_SERVER_VERSION failed (see above)."
  fi
  mv "$tmp/bin/server" "$tmp/bin/temporal-server"
  mv "$tmp/bin/sql" "$tmp/bin/temporal-sql-tool"
  local moddir
  moddir="$(go mod download -json "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  [ -d "$moddir/schema/postgresql/v12" ] || die "schema files not found in the Go module cache ($moddir)."
  mkdir -p "$tmp/schema/postgresql"
  cp -R "$moddir/schema/postgresql/v12" "$tmp/schema/postgresql/"
  chmod -R u+w "$tmp"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  echo "$TEMPORAL_SERVER_VERSION" >"$dir/.complete"
  log "built $dir"
}

tool_temporal_server() {
  local dir="$TOOLS_DIR/temporal-server-v$TEMPORAL_SERVER_VERSION"
  if [ ! -f "$dir/.complete" ]; then
    with_lock "temporal-server-v$TEMPORAL_SERVER_VERSION" build_temporal_server
  fi
  echo "$dir"
}

# ------------------------------------------------------------ docker-compose

install_docker_compose() {
  command -v docker-compose >/dev/null 2>&1 && return 0
  log "docker-compose not found; installing Debian's docker-compose package (to validate docker-compose.yml)..."
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get install -y --no-install-recommends docker-compose >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends docker-compose >&2; }; }; then
    die "apt-get install docker-compose failed. Install docker-compose (or the docker compose plugin) by hand."
  fi
}

tool_docker_compose() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      with_lock docker-compose-apt install_docker_compose
    else
      die "docker-compose not found. Install it (Debian/Ubuntu: sudo apt-get install -y docker-compose); tests/unit/dockerCompose.test.ts validates docker-compose.yml with it."
    fi
  fi
  command -v docker-compose
}

# ---------------------------------------------------------------------- main

case "${1:-}" in
temporal) tool_temporal ;;
test-server) tool_test_server ;;
postgres) tool_postgres ;;
chromium) tool_chromium ;;
temporal-server) tool_temporal_server ;;
docker-compose) tool_docker_compose ;;
all)
  tool_postgres >/dev/null
  tool_test_server >/dev/null
  tool_temporal >/dev/null
  tool_chromium >/dev/null
  tool_temporal_server >/dev/null
  tool_docker_compose >/dev/null
  ;;
*)
  echo "usage: bash scripts/tools.sh temporal|test-server|postgres|chromium|temporal-server|docker-compose|all" >&2
  exit 2
  ;;
esac
