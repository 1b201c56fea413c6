#!/usr/bin/env bash
# RbmSimd beside its peers (../shared/bench), in one sitting, the systems alternating round by round
# (ours, peer, ours, peer, …), the peers' OpenBLAS unpinned. Writes runs.jsonl (every JSON line every run printed,
# tagged), machine.json (lscpu, versions, the OpenBLAS core), lscpu.txt, log.txt and summary.md (medians and ratios)
# into perf/results/<cpu-folder>/compare-<date>-<time>/, <cpu-folder> derived from lscpu
# (e.g. amd-epyc-family26-model2-2vcpu).
#
# Usage: perf/scripts/compare-peers.sh [SECTIONS] [OPTIONS]
# Sections (default: all):
#   --w1     the W1 epoch: rbm bench CD-1 and PCD-1 (Fashion-MNIST binarised at > 127, 500 hidden, batch 100)
#            against torch_cd1.py (CD-1) and sklearn_rbm.py --part fmnist (PCD-1)
#   --gb     the Gaussian-Bernoulli epoch: rbm bench --visible gaussian against torch_gbrbm.py --data fmnist --hidden 500
#   --ais    AIS of log Z on a 784 x 500 model: RbmSimd (perf tool 'ais') against ais_numpy.py --float32, same schedule
#   --gemm   BDN GemmBench (Simd at 1 thread, Parallel at 2) against gemm_openblas.py --threads 1,2; runs --fma too
#   --fma    the FMA peak (perf/fma/fma_peak.c) at 256 and 512 bits, 1 and 2 threads
#   --all    all of the above
# Options:
#   --rounds N            interleaved rounds (default 3)
#   --threads "1 2"       thread counts for w1, gb and ais (default "1 2"; gemm and fma always measure 1 and 2)
#   --epochs N            epochs per run for w1 and gb (default 3; each round's figure is their median, so the
#                         first epoch's warm-up (JIT, caches) does not count on either side)
#   --ais-transitions K   temperatures (default 14500; e.g. 300 to validate)   --ais-runs M (default 100)
#   --subset N            use the first N training and N/6 test images (validation runs; default: all 60,000)
#   --data DIR            Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)
#   --bdn "ARGS"          BenchmarkDotNet job arguments for GemmBench (default "--warmupCount 3 --iterationCount 10";
#                         "--job dry" to validate)
#   --torch-avx512        also run each torch peer with ATEN_CPU_CAPABILITY=avx512 (Debian's torch 1.13 picks AVX2 on
#                         this CPU by default; its GEMMs go through OpenBLAS either way)
#   --out DIR             output folder (default perf/results/<cpu-folder>/compare-<date>-<time>)
#   --bench-dir DIR       the peer harnesses (default ../shared/bench beside the repository)
#   --no-build            do not build (RbmSimd.sln in Release, fma_peak with gcc)
# A full sitting (--all, 3 rounds) takes about 15-20 minutes on a quiet 2-core machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command_line="perf/scripts/compare-peers.sh $(printf "%q " "$@")"

# The pins: recorded, then removed for this script and every child (each peer also runs under env -u).
pins_found=""
for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
  if [[ -n ${!v+x} ]]; then pins_found+="${pins_found:+, }$v=${!v}"; fi
done
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
LIB=(/usr/bin/python3 "$repo/perf/scripts/peerlib.py")

sections=() rounds=3 threads="1 2" epochs=3 ais_k=14500 ais_runs=100 subset=0 data=/usr/share/datasets/fashion-mnist
bdn_args="--warmupCount 3 --iterationCount 10" torch_avx512=0 out="" bench_dir="$repo/../shared/bench" build=1
while (($#)); do
  case $1 in
    --w1|--gb|--ais|--gemm|--fma) sections+=("${1#--}") ;;
    --all) sections=(w1 gb ais gemm fma) ;;
    --rounds) rounds=$2; shift ;;
    --threads) threads=${2//,/ }; shift ;;
    --epochs) epochs=$2; shift ;;
    --ais-transitions) ais_k=$2; shift ;;
    --ais-runs) ais_runs=$2; shift ;;
    --subset) subset=$2; shift ;;
    --data) data=$2; shift ;;
    --bdn) bdn_args=$2; shift ;;
    --torch-avx512) torch_avx512=1 ;;
    --out) out=$2; shift ;;
    --bench-dir) bench_dir=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-peers.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((${#sections[@]})) || sections=(w1 gb ais gemm fma)
has() { [[ " ${sections[*]} " == *" $1 "* ]]; }
bench_dir=$(cd "$bench_dir" && pwd)
[[ -f $bench_dir/common.py ]] || { echo "compare-peers.sh: no peer harnesses in $bench_dir (--bench-dir)" >&2; exit 2; }

cpu=$("${LIB[@]}" cpu-folder)
out=${out:-perf/results/$cpu/compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
runs=$out/runs.jsonl log=$out/log.txt
: > "$runs"
echo "results: $out"

rbm=(dotnet "$repo/src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll")
tool=(dotnet "$repo/perf/RbmSimd.Benchmarks/bin/Release/net10.0/RbmSimd.Benchmarks.dll")
fma="$repo/perf/fma/bin/fma_peak"
if ((build)); then
  echo "building (Release) ..."
  dotnet build RbmSimd.sln -c Release -v q -nologo >>"$log" 2>&1 || { echo "build failed: see $log" >&2; exit 1; }
  mkdir -p "$(dirname "$fma")"
  gcc -O2 -pthread -o "$fma" perf/fma/fma_peak.c
fi

scratch=$(mktemp -d)   # the subset and the AIS model: not kept with the results
trap 'rm -rf "$scratch"' EXIT
if ((subset > 0)); then
  data=$scratch/fmnist-subset-$subset
  "${PY[@]}" - "$data" "$subset" <<'EOF'
import gzip, os, struct, sys
dst, n = sys.argv[1], int(sys.argv[2])
src = os.environ.get("FMNIST_SOURCE", "/usr/share/datasets/fashion-mnist")
os.makedirs(dst, exist_ok=True)
for name, k in (("train-images-idx3-ubyte.gz", n), ("t10k-images-idx3-ubyte.gz", max(1, n // 6)),
                ("train-labels-idx1-ubyte.gz", n), ("t10k-labels-idx1-ubyte.gz", max(1, n // 6))):
    d = gzip.open(os.path.join(src, name)).read()
    if "images" in name:
        gzip.open(os.path.join(dst, name), "wb").write(struct.pack(">IIII", 0x803, k, 28, 28) + d[16:16 + k * 784])
    else:
        gzip.open(os.path.join(dst, name), "wb").write(struct.pack(">II", 0x801, k) + d[8:8 + k])
EOF
fi
export FMNIST_DIR=$data

lscpu > "$out/lscpu.txt"
PEER_BENCH_DIR=$bench_dir "${LIB[@]}" machine "$out/machine.json" "command=$command_line" "rounds=$rounds" \
  "git=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src perf || echo '+local changes')" \
  "dotnet=$(dotnet --version) / $(dotnet --list-runtimes | grep -o 'Microsoft.NETCore.App [0-9.]*' | tail -1 | cut -d' ' -f2)" \
  "pins_found=$pins_found" "data=$data" "subset=$subset" "bdn=$bdn_args" "sections=${sections[*]}" | tee -a "$log"

# run SECTION ROUND SYSTEM VARIANT THREADS -- COMMAND...: records every JSON line the command prints; a failure is
# recorded (section "error") and reported, and the sitting goes on.
run() {
  local section=$1 round=$2 system=$3 variant=$4 th=$5; shift 6
  local tmp; tmp=$(mktemp)
  local t0=$SECONDS
  echo "== [$section round $round] $system $variant threads=$th: $*" >>"$log"
  if "$@" >"$tmp" 2>>"$log"; then
    cat "$tmp" >>"$log"
    "${LIB[@]}" wrap --section "$section" --round "$round" --system "$system" --variant "$variant" --threads "$th" --out "$runs" <"$tmp" 2>>"$log" \
      || echo "   no JSON from $system $variant (see $log)"
  else
    local rc=$? tnum=$th
    [[ $th =~ ^[0-9]+$ ]] || tnum=0
    cat "$tmp" >>"$log"
    printf '{"section": "error", "round": %d, "system": "%s", "variant": "%s", "threads": %d, "raw": {"what": "%s %s", "exit": %d}}\n' \
      "$round" "$system" "$variant" "$tnum" "$section" "$system" "$rc" >>"$runs"
    echo "   FAILED ($rc): $system $variant threads=$th (see $log)"
  fi
  rm -f "$tmp"
  printf '   %-8s r%s %-13s %-7s %2s threads  %4ds\n' "$section" "$round" "$system" "$variant" "$th" $((SECONDS - t0))
}
load_mark() {
  printf '{"section": "load", "round": 0, "system": "machine", "variant": "%s", "threads": 0, "raw": {"load": [%s], "when": "%s"}}\n' \
    "$1" "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')" "$2" >>"$runs"
  echo "-- $1 $2: load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
peer() { (cd "$bench_dir" && "$@"); }
torch_env() {   # torch at N threads: intra-op 1, OpenBLAS's pool N (two busy pools halve the speed; ../shared/bench/README.md)
  local n=$1; shift
  if ((n > 1)); then echo OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS="$n"; else echo OPENBLAS_NUM_THREADS=1; fi
}
# GEMM's Parallel uses every core the process may use: limit it to 2 where the machine has more.
pin2=(); if (($(nproc) > 2)) && command -v taskset >/dev/null; then pin2=(taskset -c 0,1); fi

fma_round() {
  local r=$1
  for th in 1 2; do
    run fma "$r" fma_peak "" raw -- "$fma" --threads "$th" --repeats 5 --seconds 0.2
  done
}

if has w1; then
  load_mark w1 start
  for r in $(seq "$rounds"); do
    for th in $threads; do
      run w1 "$r" rbmsimd cd1 "$th" -- "${rbm[@]}" bench --data "$data" --threads "$th" --epochs "$epochs" --json
      tb=(--threads 1); ((th > 1)) && tb+=(--blas-threads "$th")
      run w1 "$r" torch cd1 "$th" -- peer env $(torch_env "$th") "${PY[@]}" torch_cd1.py "${tb[@]}" --epochs "$epochs"
      if ((torch_avx512)); then
        run w1 "$r" torch_avx512 cd1 "$th" -- peer env ATEN_CPU_CAPABILITY=avx512 $(torch_env "$th") "${PY[@]}" torch_cd1.py "${tb[@]}" --epochs "$epochs"
      fi
      run w1 "$r" rbmsimd pcd1 "$th" -- "${rbm[@]}" bench --data "$data" --threads "$th" --epochs "$epochs" --pcd --json
      run w1 "$r" sklearn pcd1 "$th" -- peer "${PY[@]}" sklearn_rbm.py --part fmnist --threads "$th" --repeats 1
    done
  done
  load_mark w1 end
fi

if has gb; then
  load_mark gb start
  for r in $(seq "$rounds"); do
    for th in $threads; do
      run gb "$r" rbmsimd cd1 "$th" -- "${rbm[@]}" bench --visible gaussian --data "$data" --threads "$th" --epochs "$epochs" --json
      run gb "$r" torch cd1 "$th" -- peer env $(torch_env "$th") "${PY[@]}" torch_gbrbm.py --data fmnist --hidden 500 --epochs "$epochs" --threads 1
      if ((torch_avx512)); then
        run gb "$r" torch_avx512 cd1 "$th" -- peer env ATEN_CPU_CAPABILITY=avx512 $(torch_env "$th") "${PY[@]}" torch_gbrbm.py --data fmnist --hidden 500 --epochs "$epochs" --threads 1
      fi
    done
  done
  load_mark gb end
fi

if has ais; then
  model=$scratch/ais-model-784x500.npz
  echo "AIS model: 784 x 500, one CD-1 epoch on $data"
  "${tool[@]}" make-model "$model" --data "$data" --hidden 500 --epochs 1 --threads 2 | tee -a "$log"
  sha256sum "$model" | tee -a "$log"
  load_mark ais start
  for r in $(seq "$rounds"); do
    for th in $threads; do
      run ais "$r" rbmsimd uniform "$th" -- "${tool[@]}" ais "$model" --runs "$ais_runs" --transitions "$ais_k" --schedule uniform --threads "$th" --seed "$r"
      run ais "$r" numpy uniform "$th" -- peer "${PY[@]}" ais_numpy.py "$model" --float32 --runs "$ais_runs" --betas "$ais_k" --threads "$th" --seed "$r"
    done
  done
  load_mark ais end
fi

if has gemm; then
  load_mark gemm start
  for r in $(seq "$rounds"); do
    art=$(mktemp -d)
    # shellcheck disable=SC2086  # bdn_args is a list of BDN options
    if (cd "$art" && "${pin2[@]}" "${tool[@]}" --filter '*GemmBench.Simd' '*GemmBench.Parallel' --inProcess $bdn_args \
          --exporters json --artifacts "$art" >>"$log" 2>&1); then
      report=$(ls "$art"/results/*GemmBench-report-full-compressed.json)
      run gemm "$r" rbmsimd Simd 1 -- "${LIB[@]}" bdn "$report" --method Simd
      run gemm "$r" rbmsimd Parallel 2 -- "${LIB[@]}" bdn "$report" --method Parallel
      cp "$(ls "$art"/results/*GemmBench-report-github.md)" "$out/GemmBench-round$r.md"
    else
      printf '{"section": "error", "round": %d, "system": "rbmsimd", "variant": "GemmBench", "threads": 0, "raw": {"what": "gemm BDN", "exit": 1}}\n' "$r" >>"$runs"
      echo "   FAILED: BDN GemmBench round $r (see $log)"
    fi
    rm -rf "$art"
    run gemm "$r" openblas sgemm raw -- peer "${PY[@]}" gemm_openblas.py --threads 1,2 --repeats 1 --skip-square
    fma_round "$r"
  done
  load_mark gemm end
elif has fma; then
  load_mark fma start
  for r in $(seq "$rounds"); do fma_round "$r"; done
  load_mark fma end
fi

"${LIB[@]}" summarize "$runs" "$out/machine.json" >"$out/summary.md"
echo
cat "$out/summary.md"
echo "written: $out/summary.md (tables), $out/runs.jsonl (every record), $out/machine.json, $out/log.txt"
