rbm score /work/lt-run/h20-cd3/model.npz --data fashion-mnist:/usr/share/datasets/fashion-mnist --binarize 0.5 --part test --ais --raise-rows 500 --seed 1 --json
307.316106673
