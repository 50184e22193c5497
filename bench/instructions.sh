#!/usr/bin/env bash
# Instructions per HS256 `sign` call of the bench, counted by callgrind: a measure of the code
# that the machine's load does not move (bench/analysis.md cites it). Each library runs at two
# call counts in fresh processes; the difference divided by the difference in calls is the cost
# of one call, without Node's start-up. Needs valgrind (Debian: apt-get install valgrind) and
# the bench's Node peers (bash bench/run.sh installs them) and our built addon.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
if ! command -v valgrind >/dev/null; then
  echo "instructions.sh needs valgrind (Debian: apt-get install valgrind)" >&2
  exit 2
fi
[ -d "$BENCH/node/node_modules/jsonwebtoken" ] || (cd "$BENCH/node" && npm ci --no-audit --no-fund >&2)

# instructions <what> <calls>: callgrind's total for a process making <calls> calls.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node "$BENCH/node/instructions.js" "$1" "$2" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}

# per_call <what> <fewer> <more>
per_call() {
  local fewer more
  fewer="$(instructions "$1" "$2")"
  more="$(instructions "$1" "$3")"
  echo $(( (more - fewer) / ($3 - $2) ))
}

jsonwebtoken="$(per_call jsonwebtoken 100 1100)"
qlik="$(per_call qlik-jwt 5000 45000)"
payload="$(per_call payload 5000 45000)"
awk -v j="$jsonwebtoken" -v q="$qlik" -v p="$payload" 'BEGIN {
  printf "instructions per HS256 sign call (the payload with a fresh jti included)\n"
  printf "  jsonwebtoken  %9d\n  qlik-jwt      %9d\n  payload only  %9d\n", j, q, p
  printf "jsonwebtoken / qlik-jwt: %.1fx; without the payload: %.1fx\n", j / q, (j - p) / (q - p)
}'
