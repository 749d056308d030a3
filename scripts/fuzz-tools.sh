#!/usr/bin/env bash
# Installs schemathesis (pinned) into a venv cached outside the repo and prints
# the path of its CLI. Reused by every run on the same machine.
set -euo pipefail
VERSION=4.32.5
DIR="${DUBAN_TOOLS_DIR:-$HOME/.cache/duban/tools}/schemathesis-$VERSION"
if [ ! -x "$DIR/bin/schemathesis" ] || [ ! -f "$DIR/.installed" ]; then
  echo "installing schemathesis $VERSION into $DIR" >&2
  rm -rf "$DIR"
  python3 -m venv "$DIR" >&2
  "$DIR/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
  touch "$DIR/.installed"
fi
echo "$DIR/bin/schemathesis"
