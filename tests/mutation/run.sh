#!/usr/bin/env bash
# Mutation testing, one source file at a time, with only the tests that cover it.
#
#   tests/mutation/run.sh src/RbmSimd/IO/Npy.cs [more files…]
#
# Each file is mutated with the test namespaces that namespaces.tsv maps its folder (or the file
# itself) to; Stryker.NET is the version pinned in .config/dotnet-tools.json, with the settings in
# stryker-config.json beside this script. Files given together that share a project and a test
# filter are mutated in one Stryker run (one build and one initial test run instead of one per
# file; with per-test coverage each mutant still runs only the tests that reach it). For each file
# the script prints the score, killed + timed out over killed + timed out + survived + no coverage,
# and the surviving mutants, and appends a row to results.tsv (date, commit, file, counts, score,
# test filter). Reports go to tests/mutation/out/ (ignored by git): one folder per Stryker run with
# reports/mutation-report.json and stryker.log, and FILE.survivors.txt per file.
#
# Environment: MUTATION_CONCURRENCY (default 2), MUTATION_RESULTS (default tests/mutation/results.tsv).
# Needs python3 to read the JSON report. Not part of CI: run it when you change a file it covers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
results=${MUTATION_RESULTS:-$here/results.tsv}
concurrency=${MUTATION_CONCURRENCY:-2}
(($#)) || { echo "usage: $0 SOURCE_FILE…" >&2; exit 2; }

cd "$root"
dotnet tool restore >/dev/null
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src tests || commit="$commit+dirty"
[ -f "$results" ] || printf 'date\tcommit\tfile\tkilled\ttimeout\tsurvived\tno_coverage\tscore\ttests\n' > "$results"
mkdir -p "$here/out"

# Group the files by project and test filter.
declare -A group_files=()
declare -a group_order=()
status=0
for arg in "$@"; do
  rel=$(realpath --relative-to="$root" "$arg")
  if [ ! -f "$rel" ]; then echo "$arg: no such file" >&2; status=2; continue; fi
  # The longest matching prefix in namespaces.tsv.
  namespaces=$(awk -F'\t' -v f="$rel" '!/^#/ && NF == 2 && index(f, $1) == 1 && length($1) > best { best = length($1); ns = $2 } END { print ns }' "$here/namespaces.tsv")
  if [ -z "$namespaces" ]; then echo "$rel: no test namespaces for it in namespaces.tsv" >&2; status=2; continue; fi
  # Names after "!" are left out (slow classes whose code faster tests cover): (A|B)&!X&!Y.
  filter=""; excluded=""
  for ns in $namespaces; do
    if [[ $ns == !* ]]; then excluded+="&FullyQualifiedName!~${ns#!}"
    else filter+="${filter:+|}FullyQualifiedName~$ns"; fi
  done
  [ -z "$excluded" ] || filter="($filter)$excluded"
  # The project that compiles the file: the nearest folder above it with a .csproj.
  dir=$(dirname "$rel")
  while [ "$dir" != "." ] && ! compgen -G "$dir/*.csproj" >/dev/null; do dir=$(dirname "$dir"); done
  project=$(basename "$(compgen -G "$dir/*.csproj" | head -1)")
  key="$project $filter"
  [ -n "${group_files[$key]+x}" ] || group_order+=("$key")
  group_files[$key]+="$rel "
done

for key in "${group_order[@]}"; do
  project=${key%% *}
  filter=${key#* }
  read -r -a files <<< "${group_files[$key]}"
  name=$(basename "${files[0]}" .cs)
  ((${#files[@]} == 1)) || name+="+$(( ${#files[@]} - 1 ))"
  out="$here/out/$name"
  rm -rf "$out"
  mkdir -p "$out"
  mutate=()
  for f in "${files[@]}"; do mutate+=(--mutate "**/$f"); done
  echo "== ${files[*]} (project $project, tests: $filter)"
  start=$SECONDS
  if ! (cd "$root/tests/RbmSimd.Tests" && dotnet stryker --config-file "$here/stryker-config.json" --project "$project" \
        "${mutate[@]}" --test-case-filter "$filter" --output "$out" --concurrency "$concurrency" \
        --skip-version-check) > "$out/stryker.log" 2>&1; then
    echo "Stryker failed; see $out/stryker.log" >&2; tail -20 "$out/stryker.log" >&2; status=1; continue
  fi
  python3 - "$out/reports/mutation-report.json" "$here/out" "$results" "$(date -u +%Y-%m-%d)" "$commit" "$filter" "$((SECONDS - start))" "${files[@]}" <<'PY'
import json, os, sys
report, outdir, results, date, commit, filter_, seconds, *files = sys.argv[1:]
data = json.load(open(report))
for rel in files:
    counts = {"Killed": 0, "Timeout": 0, "Survived": 0, "NoCoverage": 0}
    lines = []
    for path, f in data["files"].items():
        if not path.replace("\\", "/").endswith("/" + rel):
            continue
        src = f.get("source", "").splitlines()
        for m in f["mutants"]:
            st = m["status"]
            if st in counts:
                counts[st] += 1
            if st in ("Survived", "NoCoverage"):
                line = m["location"]["start"]["line"]
                code = src[line - 1].strip() if 0 < line <= len(src) else ""
                lines.append((line, f"{rel}:{line}:{m['location']['start']['column']}\t{st}\t{m['mutatorName']}\t{m.get('replacement', '')!r}\t{code}"))
    lines.sort()
    k, t, s, n = counts["Killed"], counts["Timeout"], counts["Survived"], counts["NoCoverage"]
    total = k + t + s + n
    score = 100.0 * (k + t) / total if total else 100.0
    with open(os.path.join(outdir, os.path.basename(rel)[:-3] + ".survivors.txt"), "w") as out:
        out.writelines(l + "\n" for _, l in lines)
    print(f"{rel}: {score:.1f} % (killed {k}, timed out {t}, survived {s}, no coverage {n}; run of {seconds} s)")
    for _, l in lines:
        print("  " + l)
    with open(results, "a") as r:
        r.write(f"{date}\t{commit}\t{rel}\t{k}\t{t}\t{s}\t{n}\t{score:.1f}\t{filter_}\n")
PY
done
exit $status
