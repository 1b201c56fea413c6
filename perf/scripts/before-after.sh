#!/usr/bin/env bash
# Before/after the model-family redesign (issue 9, "the fast path must not move"): the baseline build (the commit
# before the redesign, 9ae8828, in its own worktree, built in Release) and this checkout's build, alternating in one
# sitting, on
#   - BDN CdStepBench (one minibatch step, 784 x 500, batch 100): the baseline's Persistent=False/True rows are
#     matched with the current Configuration=CD-1/PCD-1 rows, at 1 and 2 threads;
#   - the W1 epoch: rbm bench (Fashion-MNIST binarised, 500 hidden, batch 100, CD-1) at 1 and 2 threads.
# The order of the two builds is swapped every round (baseline first in odd rounds, current first in even ones), so
# a drift in the machine's speed does not favour either. Prints the ratios current / baseline (medians over rounds;
# issue 9 allows at most 1.03) and writes runs.jsonl, machine.json, log.txt and summary.md into
# perf/results/<cpu-folder>/before-after-<date>-<time>/.
#
# Usage: perf/scripts/before-after.sh [OPTIONS]
#   --baseline DIR     the baseline worktree, built in Release (default /work/baseline)
#   --rounds N         rounds (default 5)
#   --threads "1 2"    thread counts (default "1 2")
#   --epochs N         epochs per rbm bench run (default 3; each round's figure is their median, which leaves
#                      out the first epoch's warm-up)
#   --pcd              also time the W1 epoch with PCD-1
#   --sections LIST    cdstep,w1 (default both)
#   --bdn "ARGS"       BDN job arguments (default "--warmupCount 3 --iterationCount 15"; "--job dry" to validate)
#   --subset N         W1 on the first N training images (validation; default all 60,000)
#   --data DIR         Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)
#   --out DIR          output folder
#   --no-build         do not build this checkout (the baseline is never built by this script)
# A full sitting (5 rounds) takes about 10-12 minutes on a quiet 2-core machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command_line="perf/scripts/before-after.sh $(printf "%q " "$@")"
LIB=(/usr/bin/python3 "$repo/perf/scripts/peerlib.py")

baseline=/work/baseline rounds=5 threads="1 2" epochs=3 pcd=0 sections="cdstep,w1"
bdn_args="--warmupCount 3 --iterationCount 15" subset=0 data=/usr/share/datasets/fashion-mnist out="" build=1
while (($#)); do
  case $1 in
    --baseline) baseline=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --threads) threads=${2//,/ }; shift ;;
    --epochs) epochs=$2; shift ;;
    --pcd) pcd=1 ;;
    --sections) sections=$2; shift ;;
    --bdn) bdn_args=$2; shift ;;
    --subset) subset=$2; shift ;;
    --data) data=$2; shift ;;
    --out) out=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "before-after.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
has() { [[ ",$sections," == *",$1,"* ]]; }
baseline=$(cd "$baseline" && pwd)
base_rbm=$baseline/src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll
base_bdn=$baseline/perf/RbmSimd.Benchmarks/bin/Release/net10.0/RbmSimd.Benchmarks.dll
for f in "$base_rbm" "$base_bdn"; do
  [[ -f $f ]] || { echo "before-after.sh: $f is missing: build the baseline (cd $baseline && dotnet build RbmSimd.sln -c Release)" >&2; exit 2; }
done
cur_rbm=$repo/src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll
cur_bdn=$repo/perf/RbmSimd.Benchmarks/bin/Release/net10.0/RbmSimd.Benchmarks.dll

cpu=$("${LIB[@]}" cpu-folder)
out=${out:-perf/results/$cpu/before-after-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
runs=$out/runs.jsonl log=$out/log.txt
: > "$runs"
echo "results: $out"
if ((build)); then
  echo "building this checkout (Release) ..."
  dotnet build RbmSimd.sln -c Release -v q -nologo >>"$log" 2>&1 || { echo "build failed: see $log" >&2; exit 1; }
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ((subset > 0)); then
  data=$scratch/fmnist-subset-$subset
  /usr/bin/python3 - "$data" "$subset" <<'EOF'
import gzip, os, struct, sys
dst, n = sys.argv[1], int(sys.argv[2])
src = "/usr/share/datasets/fashion-mnist"
os.makedirs(dst, exist_ok=True)
for name, k in (("train-images-idx3-ubyte.gz", n), ("t10k-images-idx3-ubyte.gz", max(1, n // 6))):
    d = gzip.open(os.path.join(src, name)).read()
    gzip.open(os.path.join(dst, name), "wb").write(struct.pack(">IIII", 0x803, k, 28, 28) + d[16:16 + k * 784])
EOF
fi

lscpu > "$out/lscpu.txt"
"${LIB[@]}" machine "$out/machine.json" "command=$command_line" "rounds=$rounds" "subset=$subset" "bdn=$bdn_args" \
  "git=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src perf || echo '+local changes')" \
  "baseline=$(git -C "$baseline" rev-parse --short HEAD) ($baseline)" \
  "dotnet=$(dotnet --version) / $(dotnet --list-runtimes | grep -o 'Microsoft.NETCore.App [0-9.]*' | tail -1 | cut -d' ' -f2)" | tee -a "$log"

run() {   # run SECTION ROUND SYSTEM VARIANT THREADS -- COMMAND...: records the JSON lines; a failure is recorded and reported
  local section=$1 round=$2 system=$3 variant=$4 th=$5; shift 6
  local tmp; tmp=$(mktemp)
  local t0=$SECONDS
  echo "== [$section round $round] $system $variant threads=$th: $*" >>"$log"
  if "$@" >"$tmp" 2>>"$log"; then
    cat "$tmp" >>"$log"
    "${LIB[@]}" wrap --section "$section" --round "$round" --system "$system" --variant "$variant" --threads "$th" --out "$runs" <"$tmp" 2>>"$log" \
      || echo "   no JSON from $system $variant (see $log)"
  else
    local rc=$?
    cat "$tmp" >>"$log"
    printf '{"section": "error", "round": %d, "system": "%s", "variant": "%s", "threads": %d, "raw": {"what": "%s %s %s", "exit": %d}}\n' \
      "$round" "$system" "$variant" "$th" "$section" "$system" "$variant" "$rc" >>"$runs"
    echo "   FAILED ($rc): $system $variant threads=$th (see $log)"
  fi
  rm -f "$tmp"
  printf '   %-7s r%s %-9s %-6s %s threads  %4ds\n' "$section" "$round" "$system" "$variant" "$th" $((SECONDS - t0))
}
load_mark() {
  printf '{"section": "load", "round": 0, "system": "machine", "variant": "%s", "threads": 0, "raw": {"load": [%s], "when": "%s"}}\n' \
    "$1" "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')" "$2" >>"$runs"
  echo "-- $1 $2: load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# One BDN run of CdStepBench for a build; its rows are recorded as CD-1 / PCD-1 at each thread count.
cdstep() {
  local r=$1 which=$2 dll filters art report
  art=$(mktemp -d)
  if [[ $which == baseline ]]; then
    dll=$base_bdn; filters=('*CdStepBench*')
  else
    dll=$cur_bdn; filters=('*CdStepBench.Step(Configuration: "CD-1"*' '*CdStepBench.Step(Configuration: "PCD-1", *')
  fi
  # shellcheck disable=SC2086  # bdn_args is a list of BDN options
  if (cd "$art" && dotnet "$dll" --filter "${filters[@]}" --inProcess $bdn_args --exporters json --artifacts "$art" >>"$log" 2>&1); then
    report=$(ls "$art"/results/*CdStepBench-report-full-compressed.json)
    cp "$(ls "$art"/results/*CdStepBench-report-github.md)" "$out/CdStepBench-$which-round$r.md"
    for th in $threads; do
      if [[ $which == baseline ]]; then
        run cdstep "$r" baseline CD-1 "$th" -- "${LIB[@]}" bdn "$report" --param Persistent=False --param "Threads=$th"
        run cdstep "$r" baseline PCD-1 "$th" -- "${LIB[@]}" bdn "$report" --param Persistent=True --param "Threads=$th"
      else
        run cdstep "$r" current CD-1 "$th" -- "${LIB[@]}" bdn "$report" --param Configuration=CD-1 --param "Threads=$th"
        run cdstep "$r" current PCD-1 "$th" -- "${LIB[@]}" bdn "$report" --param Configuration=PCD-1 --param "Threads=$th"
      fi
    done
  else
    printf '{"section": "error", "round": %d, "system": "%s", "variant": "CdStepBench", "threads": 0, "raw": {"what": "CdStepBench %s", "exit": 1}}\n' \
      "$r" "$which" "$which" >>"$runs"
    echo "   FAILED: CdStepBench ($which) round $r (see $log)"
  fi
  rm -rf "$art"
}

w1() {
  local r=$1 which=$2 dll
  [[ $which == baseline ]] && dll=$base_rbm || dll=$cur_rbm
  for th in $threads; do
    run w1 "$r" "$which" cd1 "$th" -- dotnet "$dll" bench --data "$data" --threads "$th" --epochs "$epochs" --json
    if ((pcd)); then
      run w1 "$r" "$which" pcd1 "$th" -- dotnet "$dll" bench --data "$data" --threads "$th" --epochs "$epochs" --pcd --json
    fi
  done
}

for section in cdstep w1; do
  has "$section" || continue
  load_mark "$section" start
  for r in $(seq "$rounds"); do
    if ((r % 2)); then order=(baseline current); else order=(current baseline); fi
    for which in "${order[@]}"; do "$section" "$r" "$which"; done
  done
  load_mark "$section" end
done

"${LIB[@]}" before-after "$runs" "$out/machine.json" >"$out/summary.md"
echo
cat "$out/summary.md"
echo "written: $out/summary.md, $out/runs.jsonl, $out/machine.json, $out/log.txt"
