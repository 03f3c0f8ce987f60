#!/usr/bin/env bash
# Run the whole test suite: the analytics library alone (no Django), then the
# Django suite on SQLite, then again on PostgreSQL when SATISFY_TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin

# Browser tests drive Debian's Chromium; install it when we are allowed to.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
    || echo "Could not install chromium: browser tests will be skipped."
fi

SATISFY_DATA_DIR=$(mktemp -d)
export SATISFY_DATA_DIR
trap 'rm -rf "$SATISFY_DATA_DIR"' EXIT
export SECRET_KEY=test-only-not-secret
unset DATABASE_URL

echo "== analytics library and file tools (no Django), with doctests"
"$BIN/pytest" -q -p no:django -p no:cacheprovider --doctest-modules \
  satisfy/analytics satisfy/formats satisfy/filecli

DJANGO_TESTS=(satisfy --ignore=satisfy/analytics --ignore=satisfy/formats --ignore=satisfy/filecli)

echo "== Django suite on SQLite"
"$BIN/pytest" -q -n 2 "${DJANGO_TESTS[@]}"

if [ -n "${SATISFY_TEST_DATABASE_URL:-}" ]; then
  echo "== Django suite on PostgreSQL ($SATISFY_TEST_DATABASE_URL)"
  DATABASE_URL="$SATISFY_TEST_DATABASE_URL" "$BIN/pytest" -q -n 2 "${DJANGO_TESTS[@]}"
fi
