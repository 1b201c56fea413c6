"""Logistic regression (scikit-learn) on features exported by `rbm transform` against the same classifier on raw pixels,
Fashion-MNIST's 60,000 training images to fit and its 10,000 test images to score.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 logistic_features.py --train train.npy --test test.npy [--data DIR]

Features and pixels are standardised on the training rows (StandardScaler) before the same LogisticRegression(max_iter=1000)
is fitted; pixels are grey levels in [0, 1], as `rbm train --data fashion-mnist` reads them. Prints one JSON line per
representation: its width, the test accuracy and the fit's seconds.
"""
import argparse, gzip, json, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def score(name, train, test, y_train, y_test, threads):
    scaler = StandardScaler().fit(train)
    t0 = time.perf_counter()
    clf = LogisticRegression(max_iter=1000).fit(scaler.transform(train), y_train)
    seconds = time.perf_counter() - t0
    accuracy = float((clf.predict(scaler.transform(test)) == y_test).mean())
    print(json.dumps({"what": "logistic_regression", "features": name, "width": int(train.shape[1]), "test_accuracy": accuracy,
                      "fit_seconds": seconds, "iterations": int(np.max(clf.n_iter_))}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--name", default="features")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--pixels", action="store_true", help="also score the raw pixels")
    args = ap.parse_args()
    y_train = idx(f"{args.data}/train-labels-idx1-ubyte.gz")
    y_test = idx(f"{args.data}/t10k-labels-idx1-ubyte.gz")
    train, test = np.load(args.train), np.load(args.test)
    assert train.shape[0] == len(y_train) and test.shape[0] == len(y_test), "features must cover every training and test image, in order"
    if args.pixels:
        px_train = idx(f"{args.data}/train-images-idx3-ubyte.gz").reshape(len(y_train), -1) / 255.0
        px_test = idx(f"{args.data}/t10k-images-idx3-ubyte.gz").reshape(len(y_test), -1) / 255.0
        score("raw pixels", px_train, px_test, y_train, y_test, 0)
    score(args.name, train, test, y_train, y_test, 0)


if __name__ == "__main__":
    main()
