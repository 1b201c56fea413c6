#!/usr/bin/python3
"""Helpers for perf/scripts/compare-peers.sh and before-after.sh (standard library only).

    peerlib.py cpu-folder                      the results folder name for this CPU, from lscpu
    peerlib.py machine OUT.json [KEY=VALUE…]   lscpu fields, load, versions, OpenBLAS core(s) seen by numpy and torch
    peerlib.py wrap --section S --round R --system X [--variant V] [--threads T|raw] [--out FILE]
                                               JSON lines on stdin -> one record per line, tagged, appended to FILE
    peerlib.py bdn REPORT.json [--method M] [--param NAME=VALUE]…
                                               BenchmarkDotNet's full JSON report -> one JSON line per case
    peerlib.py summarize RUNS.jsonl MACHINE.json > summary.md
    peerlib.py before-after RUNS.jsonl MACHINE.json > summary.md

Records (one per JSON line a system printed): {"section", "round", "system", "variant", "threads", "raw": {...}}.
Medians are over rounds; each round's figure is the median of the epochs (or repeats) that run timed. Ratios are
given two ways: the ratio of the medians, and the range of the per-round ratios (each round's pair was measured
back to back).
"""
import json, os, re, statistics, subprocess, sys, time

# ---------------------------------------------------------------------------------------------------------- machine

def lscpu():
    """lscpu's fields as a dict (model name, CPU family, Model, Flags, …); empty where lscpu is missing."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"}).stdout
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


def cpu_folder(f=None):
    """e.g. amd-epyc-family26-model2-2vcpu: the model name as a slug, family, model, logical CPUs (v for a guest)."""
    f = f or lscpu()
    name = f.get("Model name", "unknown cpu").lower()
    name = re.sub(r"\((r|tm)\)", " ", name)
    name = re.sub(r"@.*$", " ", name)                      # the nominal clock
    name = re.sub(r"\b(cpu|processor|\d+-core)\b", " ", name)
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "unknown-cpu"
    n = f.get("CPU(s)", str(os.cpu_count() or 0))
    virtual = "hypervisor" in f.get("Flags", "").split() or "Hypervisor vendor" in f
    return f"{slug}-family{f.get('CPU family', 'x')}-model{f.get('Model', 'x')}-{n}{'vcpu' if virtual else 'cpu'}"


SIMD_FLAGS = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vnni",
              "avx512_bf16", "avx512vbmi", "avx512_vp2intersect", "avx_vnni", "amx_tile", "amx_bf16"]


def cpu_line(machine):
    """One line naming the CPU, as every table quotes it."""
    c = machine.get("cpu", {})
    flags = [x for x in SIMD_FLAGS if x in c.get("flags", [])]
    return (f"{c.get('model_name', '?')}, family {c.get('family', '?')}, model {c.get('model', '?')}, "
            f"{c.get('cpus', '?')} {'vCPUs' if c.get('virtual') else 'CPUs'}; SIMD flags: {' '.join(flags) or 'none'} "
            f"(all flags in machine.json)")


def probe(code, env):
    """Runs Python code with Debian's interpreter and returns its last line as JSON (or an error)."""
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=env, timeout=120,
                             cwd=os.environ.get("PEER_BENCH_DIR", "."))
        return json.loads(out.stdout.strip().splitlines()[-1])
    except Exception as e:  # noqa: BLE001 — a probe that fails is recorded, not fatal
        return {"error": repr(e)[:300]}


def machine(out, extra):
    f = lscpu()
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    numpy_probe = probe("import json, common, numpy, threadpoolctl; print(json.dumps({'numpy': numpy.__version__, "
                        "'openblas': common.openblas_config(), 'threadpools': threadpoolctl.threadpool_info()}))", env)
    torch_probe = probe("import json, torch, threadpoolctl; s = torch.__config__.show(); print(json.dumps({'torch': torch.__version__, "
                        "'cpu_capability': [l.split(':', 1)[1].strip() for l in s.splitlines() if 'CPU capability' in l], "
                        "'threadpools': threadpoolctl.threadpool_info()}))", env)
    sklearn_probe = probe("import json, sklearn; print(json.dumps({'sklearn': sklearn.__version__}))", env)
    cores = sorted({p.get("architecture") for r in (numpy_probe, torch_probe) for p in r.get("threadpools", [])
                    if p.get("internal_api") == "openblas" and p.get("architecture")})
    record = {
        "cpu": {"model_name": f.get("Model name"), "vendor": f.get("Vendor ID"), "family": f.get("CPU family"),
                "model": f.get("Model"), "stepping": f.get("Stepping"), "cpus": f.get("CPU(s)"),
                "virtual": "hypervisor" in f.get("Flags", "").split(), "hypervisor": f.get("Hypervisor vendor"),
                "flags": f.get("Flags", "").split(), "caches": {k: f[k] for k in f if k.endswith("cache")}},
        "cpu_folder": cpu_folder(f),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_average": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else None,
        "openblas_cores_unpinned": cores,
        "numpy": numpy_probe, "torch": torch_probe, "sklearn": sklearn_probe,
    }
    for kv in extra:
        k, _, v = kv.partition("=")
        record[k] = v
    with open(out, "w") as fh:
        json.dump(record, fh, indent=1)
        fh.write("\n")
    print(f"cpu: {cpu_line(record)}")
    print(f"OpenBLAS core without the pins: {', '.join(cores) or 'unknown'}; torch CPU capability: "
          f"{', '.join(torch_probe.get('cpu_capability', [])) or 'unknown'}")


# ---------------------------------------------------------------------------------------------------------- records

def wrap(args):
    opts = dict(zip(args[0::2], args[1::2]))
    out = opts.get("--out")
    n = 0
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            continue
        threads = opts.get("--threads", "0")
        threads = int(raw.get("threads", 0) if threads == "raw" else threads)   # "raw": the record says (gemm_openblas, fma_peak)
        rec = {"section": opts["--section"], "round": int(opts["--round"]), "system": opts["--system"],
               "variant": opts.get("--variant", ""), "threads": threads, "raw": raw}
        text = json.dumps(rec, ensure_ascii=False)
        if out:
            with open(out, "a") as fh:
                fh.write(text + "\n")
        else:
            print(text)
        n += 1
    if n == 0:
        sys.stderr.write(f"peerlib wrap: no JSON lines from {opts.get('--system')} {opts.get('--variant', '')}\n")
        sys.exit(1)


def load(path):
    with open(path) as fh:
        return [json.loads(l) for l in fh if l.strip()]


def med(xs):
    return statistics.median(xs) if xs else None


def value(rec):
    """The figure a record contributes (seconds per epoch, seconds, GFLOP/s), or None for records that carry none."""
    r, s = rec["raw"], rec["section"]
    sysname = rec["system"]
    if s == "error":
        return None
    if sysname in ("rbmsimd", "baseline", "current") and "seconds_per_epoch" in r:
        return med(r["seconds_per_epoch"])
    if r.get("kind") == "torch_cd1_epoch":
        return r["s"]
    if r.get("kind") == "sklearn_fmnist":
        return r["s_per_epoch"]["median"]
    if r.get("what") == "torch_gbrbm":
        return r["seconds"]
    if r.get("what") in ("rbmsimd_ais", "ais_numpy"):
        return r["seconds"]
    if r.get("kind") == "gemm":
        return r["gflops"]["median"]
    if r.get("what") == "fma_peak":
        return r.get("max_gflops")
    if r.get("what") == "bdn":
        return r["median_ns"]
    return None


def per_round(records, pred):
    """{round: median of the values of the records that satisfy pred} (a torch run prints one record per epoch)."""
    by = {}
    for rec in records:
        if pred(rec):
            v = value(rec)
            if v is not None:
                by.setdefault(rec["round"], []).append(v)
    return {k: statistics.median(v) for k, v in by.items()}


def fmt(x, digits=3):
    if x is None:
        return "—"
    return f"{x:,.{digits}f}"


def ratio_text(num, den):
    """Ratio of the medians and the range of per-round ratios: num and den are {round: value}."""
    a, b = med(list(num.values())), med(list(den.values()))
    if not a or not b:
        return "—", None
    rounds = sorted(set(num) & set(den))
    per = [num[r] / den[r] for r in rounds if den[r]]
    text = f"**{a / b:.2f}×**"
    if len(per) > 1:
        text += f" ({min(per):.2f}–{max(per):.2f})"
    return text, a / b


def stat_cells(rounds, digits=3):
    v = list(rounds.values())
    return f"{fmt(med(v), digits)} | {fmt(min(v), digits) if v else '—'} | {fmt(max(v), digits) if v else '—'} | {len(v)}"


def packed_gemm_rate(records, threads=1):
    """RbmSimd's GEMM GFLOP/s on V·W and H·Wᵀ (AIS's two products) at this thread count: median over both and the rounds."""
    rates = [78.4e6 / r["raw"]["median_ns"] for r in records
             if r["section"] == "gemm" and r["system"] == "rbmsimd" and r["threads"] == threads and r["raw"].get("median_ns")
             and r["raw"].get("case", "").split(" ")[0] in ("V·W", "H·Wᵀ")]
    return med(rates)


def section_loads(records, section):
    loads = [r["raw"] for r in records if r["section"] == "load" and r["variant"] == section]
    if not loads and section == "fma":   # measured inside the GEMM section
        loads = [r["raw"] for r in records if r["section"] == "load" and r["variant"] == "gemm"]
    return " → ".join(f"{l['load'][0]}" for l in loads) if loads else "not recorded"


def fma_peaks(records):
    """{(bits, threads): {round: max GFLOP/s}} from fma_peak records in any section."""
    out = {}
    for rec in records:
        r = rec["raw"]
        if r.get("what") == "fma_peak" and r.get("max_gflops"):
            out.setdefault((r["bits"], r["threads"]), {}).setdefault(rec["round"], r["max_gflops"])
    return out


def summarize(runs_path, machine_path):
    records = load(runs_path)
    m = json.load(open(machine_path))
    cpu = cpu_line(m)
    sections = []
    for rec in records:
        if rec["section"] not in sections and rec["section"] not in ("load", "error"):
            sections.append(rec["section"])
    out = [f"# Peers, side by side ({m.get('time', '')})", "",
           f"CPU: {cpu}.", "",
           f"OpenBLAS without the pins ran its **{', '.join(m.get('openblas_cores_unpinned') or ['?'])}** kernels "
           f"(the machine's pins were {m.get('pins_found') or 'absent'}; every peer ran with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`). "
           f"torch {m.get('torch', {}).get('torch', '?')} CPU capability: {', '.join(m.get('torch', {}).get('cpu_capability', [])) or '?'}; "
           f"scikit-learn {m.get('sklearn', {}).get('sklearn', '?')}; numpy {m.get('numpy', {}).get('numpy', '?')}; "
           f"RbmSimd {m.get('git', '?')}, .NET {m.get('dotnet', '?')}.", "",
           f"Command: `{m.get('command', '?')}`. Medians over {m.get('rounds', '?')} interleaved rounds (ours, peer, ours, peer…); "
           "each round's figure is the median of the epochs (or repeats) of that run. Ratios: ratio of the medians, "
           "with the range of the per-round ratios in brackets. Load average (1 minute) at the start of each section and after it "
           "is given per section: figures from a busy machine are noise.", ""]
    if m.get("subset", "0") != "0" or "dry" in m.get("bdn", ""):
        out += [f"**Validation run** (subset of {m.get('subset')} training images, BDN `{m.get('bdn')}`): "
                "it shows the script works; its figures are not measurements.", ""]
    peaks = fma_peaks(records)
    errors = [r for r in records if r["section"] == "error"]
    if errors:
        out += ["**Failed runs:** " + "; ".join(f"{e['raw'].get('what')} (round {e['round']}, {e['variant']}, "
                                                 f"{e['threads']} threads, exit {e['raw'].get('exit')})" for e in errors), ""]

    for section in sections:
        recs = [r for r in records if r["section"] == section]
        threads = sorted({r["threads"] for r in recs if r["threads"]})
        load_text = section_loads(records, section)
        if section == "w1":
            out += ["## W1 epoch: Fashion-MNIST binarised, 500 hidden, batch 100 (seconds per epoch)", "",
                    f"CPU: {cpu}. Load average: {load_text}.", "",
                    "| system | threads | s/epoch median | min | max | rounds | RbmSimd faster by | GEMM-bound fraction |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|"]
            rows = [r for r in recs if r["system"] == "rbmsimd"]
            n_rows = rows[0]["raw"].get("rows", 60000) if rows else 60000
            gflop = 5 * 2.0 * n_rows * 784 * 500 / 1e9
            for t in threads:
                pairs = [("RbmSimd CD-1 (`rbm bench`)", "rbmsimd", "cd1", None),
                         ("PyTorch CD-1 (`torch_cd1.py`)", "torch", "cd1", "cd1"),
                         ("PyTorch CD-1, `ATEN_CPU_CAPABILITY=avx512`", "torch_avx512", "cd1", "cd1"),
                         ("RbmSimd PCD-1 (`rbm bench --pcd`)", "rbmsimd", "pcd1", None),
                         ("scikit-learn BernoulliRBM PCD-1", "sklearn", "pcd1", "pcd1")]
                for label, system, variant, versus in pairs:
                    rounds = per_round(recs, lambda r, s=system, v=variant, t=t: r["system"] == s and r["variant"] == v and r["threads"] == t)
                    if not rounds:
                        continue
                    ratio = ""
                    if versus:
                        ours = per_round(recs, lambda r, v=versus, t=t: r["system"] == "rbmsimd" and r["variant"] == v and r["threads"] == t)
                        ratio, _ = ratio_text(rounds, ours)
                    bound = ""
                    peak = med(list(peaks.get((512, t), peaks.get((256, t), {})).values()))
                    if peak and med(list(rounds.values())):
                        bound = f"{gflop / peak / med(list(rounds.values())):.0%}"
                    out.append(f"| {label} | {t} | {stat_cells(rounds)} | {ratio} | {bound} |")
            out += ["", f"GEMM-bound fraction: the epoch's {gflop:.1f} GFLOP of products at the measured FMA peak "
                    "(widest vector, same thread count; see the FMA table) divided by the epoch's time.", ""]
        elif section == "gb":
            out += ["## Gaussian-Bernoulli epoch: Fashion-MNIST as real values, 784 standardised pixels, 500 hidden, batch 100, CD-1, learned variances (seconds per epoch)", "",
                    f"CPU: {cpu}. Load average: {load_text}.", "",
                    "| system | threads | s/epoch median | min | max | rounds | RbmSimd faster by |", "|---|---:|---:|---:|---:|---:|---:|"]
            for t in threads:
                ours = per_round(recs, lambda r, t=t: r["system"] == "rbmsimd" and r["threads"] == t)
                out.append(f"| RbmSimd (`rbm bench --visible gaussian`) | {t} | {stat_cells(ours)} | |")
                for system, label in (("torch", "PyTorch (`torch_gbrbm.py --data fmnist --hidden 500`)"),
                                      ("torch_avx512", "PyTorch, `ATEN_CPU_CAPABILITY=avx512`")):
                    peer = per_round(recs, lambda r, s=system, t=t: r["system"] == s and r["threads"] == t)
                    if peer:
                        out.append(f"| {label} | {t} | {stat_cells(peer)} | {ratio_text(peer, ours)[0]} |")
            out += ["", "Goal (issue 9): at least 2× faster than the PyTorch GB-RBM on 1 thread.", ""]
        elif section == "ais":
            raw = [r["raw"] for r in recs if r["system"] == "rbmsimd"]
            k = raw[0]["transitions"] if raw else "?"
            runs = raw[0]["runs"] if raw else "?"
            out += [f"## AIS of log Z, 784 × 500, {runs} runs, {k} temperatures (seconds)", "",
                    f"CPU: {cpu}. Load average: {load_text}.", "",
                    "| system | threads | seconds median | min | max | rounds | RbmSimd faster by | log Z (median) |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|"]
            for t in threads:
                ours = per_round(recs, lambda r, t=t: r["system"] == "rbmsimd" and r["threads"] == t)
                peer = per_round(recs, lambda r, t=t: r["system"] == "numpy" and r["threads"] == t)
                lz_o = med([r["raw"]["log_z"] for r in recs if r["system"] == "rbmsimd" and r["threads"] == t and r["raw"].get("log_z") is not None])
                lz_p = med([r["raw"]["logz"] for r in recs if r["system"] == "numpy" and r["threads"] == t])
                out.append(f"| RbmSimd `AnnealedImportanceSampling` | {t} | {stat_cells(ours)} | | {fmt(lz_o, 2)} |")
                out.append(f"| numpy float32 (`ais_numpy.py --float32`) | {t} | {stat_cells(peer)} | {ratio_text(peer, ours)[0]} | {fmt(lz_p, 2)} |")
            bound = ""
            peak = med(list(peaks.get((512, 1), peaks.get((256, 1), {})).values()))
            rate = packed_gemm_rate(records, 1)
            ours1 = med(list(per_round(recs, lambda r: r["system"] == "rbmsimd" and r["threads"] == 1).values()))
            if raw and ours1:
                flop = 2 * 2.0 * raw[0]["runs"] * 784 * 500 * raw[0]["transitions"] / 1e9
                bound = f" The two products per temperature (v·W and h·Wᵀ) are {flop:,.0f} GFLOP in all"
                if rate:
                    bound += (f": {flop / rate:.2f} s at RbmSimd's packed GEMM rate measured in this sitting ({rate:.0f} GFLOP/s, 1 thread), "
                              f"so RbmSimd on 1 thread takes **{ours1 / (flop / rate):.2f}×** that GEMM-bound time (goal: within 1.3×)")
                if peak:
                    bound += f"{';' if rate else ':'} {flop / peak:.2f} s at the 1-thread FMA peak ({peak:.0f} GFLOP/s)"
                bound += "." if (rate or peak) else " (run --gemm in the same sitting for the GEMM-bound time)."
            out += ["", "Both sides use the same uniform schedule of K steps (`ais_numpy.py --betas K`), so they do the same work; "
                    "the time does not depend on where the temperatures lie. Goal (issue 11): at least 2× numpy on 1 thread." + bound, ""]
        elif section == "gemm":
            out += ["## GEMM on the RBM shapes (GFLOP/s, median)", "",
                    f"CPU: {cpu}. Load average: {load_text}.", "",
                    "| product | threads | RbmSimd (BDN `GemmBench`) | OpenBLAS (`gemm_openblas.py`) | RbmSimd / OpenBLAS | RbmSimd, fraction of FMA peak | OpenBLAS, fraction of FMA peak |",
                    "|---|---:|---:|---:|---:|---:|---:|"]
            cases = [("V·W (100×784)·(784×500)", "V·W", "v->h (100x784)@(784x500)"),
                     ("H·Wᵀ (100×500)·(500×784)ᵀ", "H·Wᵀ", "h->v (100x500)@(500x784) W.T view"),
                     ("Vᵀ·H (784×100)ᵀ·(100×500)", "Vᵀ·H", "grad (784x100)@(100x500) V.T view")]
            for t in threads:
                peak = med(list(peaks.get((512, t), peaks.get((256, t), {})).values()))
                for label, ours_name, blas_name in cases:
                    # BDN gives ns per product; every shape is 2·m·n·k = 78.4 MFLOP, and flop / ns = GFLOP/s.
                    ours = {rnd: 78.4e6 / ns for rnd, ns in per_round(recs, lambda r, n=ours_name, t=t: r["system"] == "rbmsimd"
                                                                        and r["threads"] == t and r["raw"].get("case", "").startswith(n)).items()}
                    blas = per_round(recs, lambda r, n=blas_name, t=t: r["system"] == "openblas" and r["threads"] == t and r["raw"].get("case") == n)
                    ratio, _ = ratio_text(ours, blas)
                    mo, mb = med(list(ours.values())), med(list(blas.values()))
                    frac = lambda x: f"{x / peak:.0%}" if (x and peak) else "—"
                    out.append(f"| {label} | {t} | {fmt(mo, 1)} | {fmt(mb, 1)} | {ratio} | {frac(mo)} | {frac(mb)} |")
            cores = sorted({r["raw"]["openblas"].get("core") for r in recs if r["system"] == "openblas" and r["raw"].get("kind") == "meta"
                            and isinstance(r["raw"].get("openblas"), dict)} - {None})
            out += ["", f"OpenBLAS core reported by `gemm_openblas.py`: {', '.join(cores) or '?'}. RbmSimd: `Simd` (the selected tier) "
                    "at 1 thread, `Parallel` at 2 (all cores of a 2-core machine; on larger ones the script limits the process to 2). Fraction of peak: against the FMA peak at the "
                    "widest width for the same thread count (next table).", ""]
        elif section == "fma":
            out += ["## FMA peak (GFLOP/s, independent FMAs, `perf/fma/fma_peak.c`)", "",
                    f"CPU: {cpu}. Load average: {load_text}.", "",
                    "| width | threads | peak (median over rounds of each round's best repeat) | min | max | rounds |", "|---:|---:|---:|---:|---:|---:|"]
            for (bits, t), rounds in sorted(peaks.items()):
                out.append(f"| {bits}-bit | {t} | {stat_cells(rounds, 1)} |")
            out.append("")
    return "\n".join(out) + "\n"


def before_after(runs_path, machine_path):
    records = load(runs_path)
    m = json.load(open(machine_path))
    cpu = cpu_line(m)
    out = [f"# Before/after the redesign ({m.get('time', '')})", "",
           f"CPU: {cpu}.", "",
           f"Baseline: {m.get('baseline', '?')}; current: {m.get('git', '?')}. Command: `{m.get('command', '?')}`. "
           f"Medians over {m.get('rounds', '?')} rounds, the two builds alternating, the order swapped every round. "
           "Ratio = current / baseline (time): above 1 is slower; issue 9 allows at most 1.03.", ""]
    if m.get("subset", "0") != "0" or "dry" in m.get("bdn", ""):
        out += [f"**Validation run** (subset of {m.get('subset')} training images, BDN `{m.get('bdn')}`): "
                "it shows the script works; its figures are not measurements.", ""]
    errors = [r for r in records if r["section"] == "error"]
    if errors:
        out += ["**Failed runs:** " + "; ".join(f"{e['raw'].get('what')} round {e['round']}" for e in errors), ""]
    out += ["## `CdStepBench` (one minibatch step, 784 × 500, batch 100; BDN median per round)", "",
            f"Load average: {section_loads(records, 'cdstep')}.", "",
            "| step | threads | baseline median | current median | current / baseline | allocated per step, current |",
            "|---|---:|---:|---:|---:|---:|"]
    recs = [r for r in records if r["section"] == "cdstep"]
    for variant in ("CD-1", "PCD-1"):
        for t in sorted({r["threads"] for r in recs}):
            b = per_round(recs, lambda r, v=variant, t=t: r["system"] == "baseline" and r["variant"] == v and r["threads"] == t)
            c = per_round(recs, lambda r, v=variant, t=t: r["system"] == "current" and r["variant"] == v and r["threads"] == t)
            alloc = sorted({r["raw"].get("bytes_allocated") for r in recs if r["system"] == "current" and r["variant"] == variant and r["threads"] == t})
            ratio, _ = ratio_text(c, b)
            out.append(f"| {variant} | {t} | {fmt(med(list(b.values())) and med(list(b.values())) / 1e6)} ms | "
                       f"{fmt(med(list(c.values())) and med(list(c.values())) / 1e6)} ms | {ratio} | {', '.join(f'{a} B' for a in alloc)} |")
    out += ["", "## W1 epoch (`rbm bench`, seconds per epoch)", "",
            f"Load average: {section_loads(records, 'w1')}.", "",
            "| algorithm | threads | baseline median | current median | current / baseline |", "|---|---:|---:|---:|---:|"]
    recs = [r for r in records if r["section"] == "w1"]
    for variant in sorted({r["variant"] for r in recs}):
        for t in sorted({r["threads"] for r in recs}):
            b = per_round(recs, lambda r, v=variant, t=t: r["system"] == "baseline" and r["variant"] == v and r["threads"] == t)
            c = per_round(recs, lambda r, v=variant, t=t: r["system"] == "current" and r["variant"] == v and r["threads"] == t)
            if b or c:
                out.append(f"| {variant} | {t} | {fmt(med(list(b.values())))} s | {fmt(med(list(c.values())))} s | {ratio_text(c, b)[0]} |")
    return "\n".join(out) + "\n"


def bdn(args):
    """BDN's full JSON report -> one JSON line per benchmark case (method, parameters, median ns, allocation).
    bdn REPORT.json [--method M] [--param NAME=VALUE]…: only the cases that match."""
    path, rest = args[0], args[1:]
    method, params_wanted = None, {}
    for flag, val in zip(rest[0::2], rest[1::2]):
        if flag == "--method":
            method = val
        elif flag == "--param":
            k, _, v = val.partition("=")
            params_wanted[k] = v
    d = json.load(open(path))
    for b in d["Benchmarks"]:
        params = dict(p.split("=", 1) for p in b["Parameters"].split("&")) if b.get("Parameters") else {}
        if method and b["Method"] != method:
            continue
        if any(params.get(k) != v for k, v in params_wanted.items()):
            continue
        st = b.get("Statistics") or {}
        print(json.dumps({"what": "bdn", "type": b["Type"], "method": b["Method"], "parameters": params,
                          "case": params.get("Shape", ""), "median_ns": st.get("Median"), "mean_ns": st.get("Mean"),
                          "n": st.get("N"), "bytes_allocated": (b.get("Memory") or {}).get("BytesAllocatedPerOperation")},
                         ensure_ascii=False))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "cpu-folder":
        print(cpu_folder())
    elif cmd == "machine":
        machine(args[0], args[1:])
    elif cmd == "wrap":
        wrap(args)
    elif cmd == "bdn":
        bdn(args)
    elif cmd == "summarize":
        sys.stdout.write(summarize(args[0], args[1]))
    elif cmd == "before-after":
        sys.stdout.write(before_after(args[0], args[1]))
    else:
        sys.exit(f"peerlib.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
