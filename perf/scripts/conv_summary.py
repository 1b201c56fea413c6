"""Summarises perf/scripts/conv-compare.sh's runs.jsonl: per layer and thread count, the medians over rounds of the second
epoch's seconds (RbmSimd and PyTorch), their ratio, RbmSimd's CPU seconds, the GEMM-bound time (the epoch's five products at
the packed GEMM's GFLOP/s measured in the same rounds) and the convolution products' GFLOP/s."""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
LAYER_NAMES = {1: "1x28x28 -> 40 filters 9x9 (Fashion-MNIST, 10,000 images)", 2: "40x20x20 -> 40 filters 5x5", 3: "40x16x16 -> 96 filters 5x5"}


def med(xs):
    return statistics.median(xs) if xs else float("nan")


epochs = defaultdict(list)
cpu = defaultdict(list)
products = defaultdict(lambda: defaultdict(list))
fma = defaultdict(list)
images = {}
gflop = {}
for r in rows:
    layer = r.get("layer", 1)
    if r["system"] == "torch-cpu" and r["epoch"] == 2:
        cpu[(layer, "torch")].append(r["seconds"])
    elif r["system"] in ("rbmsimd", "torch") and r["epoch"] == 2:
        epochs[(layer, r["tag_threads"], r["system"])].append(r["seconds"])
        if r["system"] == "rbmsimd":
            cpu[(layer, r["tag_threads"])].append(r["cpu_seconds"])
            images[layer] = r["images"]
            gflop[layer] = r["products_gflop"]
    elif r["system"] == "fma" and r.get("supported", True):
        fma[(r["bits"], r["threads"])].append(r["median_gflops"])
    elif r["system"] == "products":
        for k in ("correlate_gflops", "convolve_gflops", "gradient_gflops", "gemm_784x500_gflops"):
            products[(layer, r["tag_threads"])][k].append(r[k])

print("| layer | threads | images | RbmSimd s/epoch | RbmSimd CPU s | PyTorch s/epoch | RbmSimd faster by | GEMM-bound s | RbmSimd / GEMM-bound | correlation / full conv. / filter gradient GFLOP/s | packed GEMM GFLOP/s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
for layer in sorted({k[0] for k in epochs}):
    for threads in (1, 2):
        ours, peer = med(epochs[(layer, threads, "rbmsimd")]), med(epochs[(layer, threads, "torch")])
        p = products[(layer, threads)]
        gemm = med(p["gemm_784x500_gflops"])
        bound = gflop.get(layer, float("nan")) / gemm if gemm == gemm else float("nan")
        n = len(epochs[(layer, threads, "rbmsimd")])
        print(f"| {LAYER_NAMES.get(layer, layer)} | {threads} | {images.get(layer, '')} | **{ours:.3f}** | {med(cpu[(layer, threads)]):.3f} | {peer:.3f} | "
              f"{peer / ours:.2f}x | {bound:.3f} | {ours / bound:.2f} | {med(p['correlate_gflops']):.0f} / {med(p['convolve_gflops']):.0f} / "
              f"{med(p['gradient_gflops']):.0f} | {gemm:.0f} |")
print()
for layer in sorted({k[0] for k in cpu if k[1] == "torch"}):
    ours_cpu, peer_cpu = med(cpu[(layer, 1)]), med(cpu[(layer, "torch")])
    print(f"CPU seconds per epoch on one thread (the load of other processes excluded), layer {layer}: RbmSimd {ours_cpu:.3f}, "
          f"PyTorch {peer_cpu:.3f}: {peer_cpu / ours_cpu:.2f}x; RbmSimd / GEMM-bound {ours_cpu / (gflop[layer] / med(products[(layer, 1)]['gemm_784x500_gflops'])):.2f}.")
print()
if fma:
    print("FMA peak (perf/fma/fma_peak.c, float32, same sitting): " + "; ".join(
        f"{bits}-bit {threads} thread{'s' if threads > 1 else ''} {med(v):.1f} GFLOP/s" for (bits, threads), v in sorted(fma.items())) + ".")
    print()
print(f"Medians over {max((len(v) for v in epochs.values()), default=0)} rounds of each run's second epoch; the GEMM-bound time is the epoch's products "
      "(5 x 2 x K*C*F*F*OH*OW flop per image) at the packed GEMM's rate on 100x784 * 784x500 in the same rounds.")
