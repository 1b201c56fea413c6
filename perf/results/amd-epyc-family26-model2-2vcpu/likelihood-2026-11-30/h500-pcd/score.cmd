rbm score /work/lt-run/h500-pcd/model.npz --data fashion-mnist:/usr/share/datasets/fashion-mnist --binarize 0.5 --part test --ais --raise-rows 100 --seed 1 --json
88.630217120
