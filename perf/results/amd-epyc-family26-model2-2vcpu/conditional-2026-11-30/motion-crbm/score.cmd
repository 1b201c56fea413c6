rbm score /work/wt-c2/perf/results/amd-epyc-family26-model2-2vcpu/conditional-2026-11-30/motion-crbm/model.npz --data motion:400 --baselines --json
