#!/usr/bin/env bash
# Runs the test suite (the README's test command, without the build) and prints the TRX counters
# as one closing line: "N passed, N failed, N skipped". Exit code: that of dotnet test.
# KEEP_RESULTS=1 keeps TRX files already in the results folder (earlier passes) in the count.
set -u
cd "$(dirname "$0")/.."
res="${RESULTS_DIR:-TestResults}"; [[ "${KEEP_RESULTS:-0}" == 1 ]] || rm -rf "$res"
dotnet test RbmSimd.sln -c Release --no-build --logger "trx;LogFilePrefix=rbm" --results-directory "$res" "$@"
rc=$?
shopt -s nullglob; trx=("$res"/*.trx)
if ((${#trx[@]})); then
  cat "${trx[@]}" | grep -o '<Counters [^>]*>' | awk '
    { for (i = 2; i <= NF; i++) { n = split($i, kv, "\""); k = kv[1]; sub(/=$/, "", k); if (n >= 2) c[k] += kv[2] } }
    END { f = c["failed"] + c["error"] + c["timeout"] + c["aborted"];
          printf "%d passed, %d failed, %d skipped\n", c["passed"], f, c["total"] - c["executed"] }'
elif ((rc != 0)); then echo "0 passed, 1 failed"; fi
exit $rc
