rbm score /work/wt-c2/perf/results/amd-epyc-family26-model2-2vcpu/conditional-2026-11-30/balls-rbm/model.npz --data bouncing-balls:1000 --baselines --json
