#!/usr/bin/env bash
# Side-by-side epoch times on the reference workload (Fashion-MNIST binarised at pixel > 127, 500
# hidden, batch 100, lr 0.1, momentum 0.5): RbmSimd (rbm bench), scikit-learn BernoulliRBM (PCD-1) and
# a plain PyTorch CD-1 loop, alternating the systems so they share the machine's state, for 1 and 2
# threads. Needs the peers' Debian packages (see ../shared/bench/README.md) and dataset-fashion-mnist.
# Usage: perf/scripts/compare-peers.sh [ROUNDS] [OUT.jsonl]
set -eu
cd "$(dirname "$0")/../.."
rounds=${1:-3}
out=${2:-perf/results/peers.jsonl}
bench=../shared/bench
mkdir -p "$(dirname "$out")"
dotnet build src/RbmSimd.Cli -c Release >/dev/null
rbm="dotnet src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll"
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    $rbm bench --threads "$threads" --epochs 2 --json | sed "s/^{/{\"round\": $round, /" >> "$out"
    $rbm bench --threads "$threads" --epochs 2 --pcd --json | sed "s/^{/{\"round\": $round, /" >> "$out"
    (cd "$bench" && OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 torch_cd1.py --threads 1 --blas-threads "$threads" --epochs 2) \
      | grep '"torch_cd1_summary"' | sed "s/^{/{\"round\": $round, /" >> "$out"
    (cd "$bench" && /usr/bin/python3 sklearn_rbm.py --part fmnist --threads "$threads" --repeats 1) \
      | grep '"sklearn_fmnist"' | sed "s/^{/{\"round\": $round, /" >> "$out"
  done
done
echo "appended to $out"
