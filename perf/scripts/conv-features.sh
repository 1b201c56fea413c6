#!/usr/bin/env bash
# Features worth having (issue 13): a one-layer and a two-layer convolutional DBN trained on Fashion-MNIST's training images
# (grey levels in [0, 1]), their pooled features exported by `rbm transform` for the training and test images, and
# scikit-learn's logistic regression on them against the same classifier on the raw pixels.
#
#   perf/scripts/conv-features.sh [OUT_DIR]      (default runs/conv-features; 34 minutes on 2 cores under a load of 6-25, most of it the logistic regressions)
#
# For a sitting, OUT_DIR = perf/results/<cpu-folder>/conv-features-<date>; commit logistic.jsonl, the log and metrics.csv,
# not the .npy features (about 800 MB) or the models.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/conv-features}
mkdir -p "$out"
dotnet build src/RbmSimd.Cli -c Release -nologo -v q >/dev/null
rbm() { dotnet src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll "$@"; }
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)

rbm train --model convolutional --data fashion-mnist --filters 24 --filter-size 9 --pool 2 --epochs 5 \
    --sparsity-target 0.05 --sparsity-cost 0.05 --output "$out/layer1" --force
rbm transform "$out/layer1/model.npz" --data fashion-mnist --output "$out/layer1-train.npy"
rbm transform "$out/layer1/model.npz" --data fashion-mnist --part test --output "$out/layer1-test.npy"
"${PY[@]}" perf/scripts/logistic_features.py --pixels --name "convolutional RBM, 24 filters 9x9, 2x2 pooling" \
    --train "$out/layer1-train.npy" --test "$out/layer1-test.npy" | tee "$out/logistic.jsonl"

rbm stack --model convolutional --data fashion-mnist --filters 24,32 --filter-size 9,3 --pool 2,2 --epochs 5 \
    --sparsity-target 0.05 --sparsity-cost 0.05 --output "$out/dbn" --force
rbm transform "$out/dbn/dbn.npz" --data fashion-mnist --output "$out/dbn-train.npy"
rbm transform "$out/dbn/dbn.npz" --data fashion-mnist --part test --output "$out/dbn-test.npy"
"${PY[@]}" perf/scripts/logistic_features.py --name "convolutional DBN, 24 filters 9x9 + 32 filters 3x3, 2x2 pooling" \
    --train "$out/dbn-train.npy" --test "$out/dbn-test.npy" | tee -a "$out/logistic.jsonl"
