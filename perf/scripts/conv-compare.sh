#!/usr/bin/env bash
# The convolutional RBM against PyTorch in one sitting (issue 13): DLL's first convolutional layer on Fashion-MNIST (10,000
# images 1x28x28 binarised at pixel > 127, 40 filters 9x9, 2x2 pooling, minibatch 64, CD-1) and its deeper layers
# (40x20x20 -> 40 filters 5x5; 40x16x16 -> 96 filters 5x5) on random binary inputs, 1 and 2 threads. RbmSimd and the peer
# alternate within every round, and their order swaps from round to round; each run trains 2 epochs and the second is kept.
# The packed GEMM's rate and the convolution products' GFLOP/s are measured in the same sitting (conv-products).
#
#   perf/scripts/conv-compare.sh [--rounds 3] [--layers "1 2 3"] [--deep-images 2000] [--out DIR]
#
# On one thread the peer also runs under cpu_seconds.py (its CPU seconds, every layer).
# Writes DIR/runs.jsonl (every JSON line, tagged with round, system and threads), DIR/machine.txt (lscpu, versions, load)
# and DIR/summary.md (medians and ratios). The peer runs at full strength: without the OpenBLAS pins, with ATEN_CPU_CAPABILITY=avx512.
# Threads of the peer: Debian's torch 1.13 runs conv2d through oneDNN (its OpenMP pool, torch.set_num_threads) but
# conv_transpose2d and the weight gradient through im2col + OpenBLAS (its own pthread pool, not governed by torch): at 1 thread
# both pools are limited to 1 (OPENBLAS_NUM_THREADS=1), at 2 both are 2 with OMP_WAIT_POLICY=PASSIVE so the idle pool sleeps.
# The FMA peak (perf/fma/fma_peak.c, 256- and 512-bit, 1 and 2 threads) is measured once at the start.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds=3; layers="1 2 3"; deep_images=2000
out="perf/results/$(/usr/bin/python3 perf/scripts/peerlib.py cpu-folder)/$(date +%Y-%m-%d)-convolutional"
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2;;
    --layers) layers=$2; shift 2;;
    --deep-images) deep_images=$2; shift 2;;
    --out) out=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
mkdir -p "$out"
runs="$out/runs.jsonl"; : > "$runs"
dotnet build perf/RbmSimd.Benchmarks -c Release -nologo -v q >/dev/null
B=perf/RbmSimd.Benchmarks/bin/Release/net10.0/RbmSimd.Benchmarks.dll
PEER=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ATEN_CPU_CAPABILITY=avx512 /usr/bin/python3)
PEERS=${RBM_PEERS:-/work/shared/bench}
peer_env() { # threads
  if [[ $1 == 1 ]]; then echo OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1; else echo OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" OMP_WAIT_POLICY=PASSIVE; fi
}
{
  lscpu; echo; dotnet --info | head -20; echo
  "${PEER[@]}" -c 'import torch; print("torch", torch.__version__); print(torch.__config__.show())'
  echo "OpenBLAS as the peer loads it (threadpoolctl):"
  "${PEER[@]}" -c 'import torch, threadpoolctl, json; print(json.dumps([{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for i in threadpoolctl.threadpool_info()]))'
  echo "load at start: $(cat /proc/loadavg)"
} > "$out/machine.txt" 2>&1

fma="perf/fma/bin/fma_peak"
mkdir -p "$(dirname "$fma")" && gcc -O2 -pthread -o "$fma" perf/fma/fma_peak.c

tag() { python3 -c 'import sys, json
for line in sys.stdin:
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line); d.update(round=int(sys.argv[1]), system=sys.argv[2], tag_threads=int(sys.argv[3]), load=open("/proc/loadavg").read().split()[0])
        print(json.dumps(d))' "$@" >> "$runs"; }

ours() { # layer threads round
  local images=10000; [[ $1 != 1 ]] && images=$deep_images
  dotnet "$B" conv-epoch --layer "$1" --threads "$2" --epochs 2 --images "$images" | tag "$3" rbmsimd "$2"
}
peer() { # layer threads round
  # On one thread, also the peer's CPU seconds per epoch (as RbmSimd's cpu_seconds): the same step, timed by process_time.
  if [[ $1 == 1 ]]; then
    (cd "$PEERS" && env $(peer_env "$2") "${PEER[@]}" torch_convrbm.py --threads "$2" --epochs 2) | tag "$3" torch "$2"
    if [[ $2 == 1 ]]; then (cd "$PEERS" && env $(peer_env 1) "${PEER[@]}" "$root/perf/scripts/cpu_seconds.py" torch_convrbm.py --threads 1 --epochs 2) | tag "$3" torch-cpu 1; fi
  else
    env $(peer_env "$2") "${PEER[@]}" perf/scripts/torch_convrbm_layers.py --layer "$1" --threads "$2" --epochs 2 --images "$deep_images" | tag "$3" torch "$2"
    if [[ $2 == 1 ]]; then env $(peer_env 1) "${PEER[@]}" perf/scripts/cpu_seconds.py perf/scripts/torch_convrbm_layers.py --layer "$1" --threads 1 --epochs 2 --images "$deep_images" | tag "$3" torch-cpu 1; fi
  fi
}

for threads in 1 2; do "$fma" --threads "$threads" --repeats 5 --seconds 0.2 | tag 0 fma "$threads"; done

for ((r = 1; r <= rounds; r++)); do
  for layer in $layers; do
    for threads in 1 2; do
      dotnet "$B" conv-products --layer "$layer" --threads "$threads" --repeats 21 | tag "$r" products "$threads"
      if ((r % 2)); then ours "$layer" "$threads" "$r"; peer "$layer" "$threads" "$r"
      else peer "$layer" "$threads" "$r"; ours "$layer" "$threads" "$r"; fi
      echo "round $r layer $layer threads $threads done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    done
  done
done
echo "load at end: $(cat /proc/loadavg)" >> "$out/machine.txt"
python3 perf/scripts/conv_summary.py "$runs" > "$out/summary.md"
cat "$out/summary.md"
