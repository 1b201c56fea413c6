rbm score /work/wt-c2/perf/results/amd-epyc-family26-model2-2vcpu/conditional-2026-11-30/balls-grey-crbm/model.npz --data bouncing-balls-grey:1000 --baselines --json
