"""The step of ../shared/bench/torch_convrbm.py (a convolutional RBM with probabilistic max-pooling, CD-1, PyTorch's conv2d /
conv_transpose2d) on the deeper layers of DLL's convolutional benchmark, whose inputs are C-channel maps rather than
Fashion-MNIST images: random binary inputs with a quarter of the units on (as RbmSimd's `conv-epoch --layer 2|3` uses).
The pooling, sampling and update are the peer's own functions, imported from it; only the input shape differs.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ATEN_CPU_CAPABILITY=avx512 /usr/bin/python3 torch_convrbm_layers.py --layer 2 --threads 1

Prints one JSON line per epoch, as the peer does.
"""
import argparse, json, os, sys, time
import torch
import torch.nn.functional as F
from torch.nn.grad import conv2d_weight

sys.path.insert(0, os.environ.get("RBM_PEERS", "/work/shared/bench"))
from torch_convrbm import pooled_probs, unblock, sample_blocks  # noqa: E402  the peer's own pooling and sampling

LAYERS = {2: (40, 20, 20, 40, 5), 3: (40, 16, 16, 96, 5)}  # C, H, W, K, F (2 x 2 pooling)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layer", type=int, default=2, choices=[2, 3])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--images", type=int, default=10000)
    ap.add_argument("--pool", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(0)
    C, H, W, K, f = LAYERS[args.layer]
    c = args.pool
    X = (torch.rand(args.images, C, H, W, generator=gen) < 0.25).float()
    Wt = 0.01 * torch.randn(K, C, f, f, generator=gen)
    hb = torch.full((K,), -0.1)
    vb = torch.zeros(C)
    dW, dhb, dvb = torch.zeros_like(Wt), torch.zeros_like(hb), torch.zeros_like(vb)
    for epoch in range(args.epochs):
        perm = torch.randperm(X.shape[0], generator=gen)
        t0 = time.perf_counter()
        err = 0.0
        for s in range(0, X.shape[0], args.batch):
            v0 = X[perm[s:s + args.batch]]
            B = v0.shape[0]
            I0 = F.conv2d(v0, Wt) + hb.view(1, K, 1, 1)
            p0, blocks0 = pooled_probs(I0, c)
            h0 = unblock(p0, I0.shape, c)
            hs = unblock(sample_blocks(blocks0, gen), I0.shape, c)
            pv = torch.sigmoid(F.conv_transpose2d(hs, Wt) + vb.view(1, C, 1, 1))
            v1 = (torch.rand(pv.shape, generator=gen) < pv).to(pv.dtype)
            I1 = F.conv2d(v1, Wt) + hb.view(1, K, 1, 1)
            p1, _ = pooled_probs(I1, c)
            h1 = unblock(p1, I1.shape, c)
            gW = (conv2d_weight(v0, Wt.shape, h0) - conv2d_weight(v1, Wt.shape, h1)) / B
            ghb = (h0.sum(dim=(0, 2, 3)) - h1.sum(dim=(0, 2, 3))) / B
            gvb = (v0.sum(dim=(0, 2, 3)) - v1.sum(dim=(0, 2, 3))) / B
            dW.mul_(args.momentum).add_(gW, alpha=args.lr)
            dhb.mul_(args.momentum).add_(ghb, alpha=args.lr)
            dvb.mul_(args.momentum).add_(gvb, alpha=args.lr)
            Wt += dW; hb += dhb; vb += dvb
            err += float(((v0 - pv) ** 2).mean()) * B
        secs = time.perf_counter() - t0
        print(json.dumps({"what": "torch_convrbm", "layer": args.layer, "epoch": epoch + 1, "seconds": secs, "threads": args.threads,
                          "images": X.shape[0], "shape": [C, H, W], "filters": K, "filter_size": f, "pool": c, "batch": args.batch,
                          "recon_mse": err / X.shape[0], "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
