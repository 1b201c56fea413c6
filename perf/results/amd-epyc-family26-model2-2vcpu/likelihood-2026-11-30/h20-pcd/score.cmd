rbm score /work/lt-run/h20-pcd/model.npz --data fashion-mnist:/usr/share/datasets/fashion-mnist --binarize 0.5 --part test --ais --raise-rows 500 --seed 1 --json
248.721386638
