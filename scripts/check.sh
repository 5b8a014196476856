#!/usr/bin/env bash
# `npm test`'s static checks: the type check and the lint at once, one per core (they took 10 s and 14 s
# one after the other). Each prints its own findings; the check fails if either does.
set -uo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit & types=$!
npx eslint . & lint=$!
status=0
wait "$types" || { echo "tsc --noEmit failed" >&2; status=1; }
wait "$lint" || { echo "eslint failed" >&2; status=1; }
exit "$status"
