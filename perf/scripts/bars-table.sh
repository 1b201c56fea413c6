#!/usr/bin/env bash
# Issue 11's parallel-tempering goal: bars and stripes 4 x 4 (30 patterns; the optimum is 30 x -log 30 = -102.04 nats in
# total), 16 hidden units, CD-1, CD-10, PCD and parallel tempering side by side with the same other settings, several
# seeds; the total exact log-likelihood of the 30 patterns after the last epoch and the best over the run.
#
# Usage: perf/scripts/bars-table.sh [--seeds "1 2 3"] [--epochs 5000] [--out DIR]
# Writes one run folder per method and seed (rbm train's own), and summary.md. About 5-10 minutes on 2 cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
seeds="1 2 3" epochs=5000 out=""
while (($#)); do
  case $1 in
    --seeds) seeds=${2//,/ }; shift ;;
    --epochs) epochs=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "bars-table.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
cpu=$(/usr/bin/python3 perf/scripts/peerlib.py cpu-folder)
out=${out:-perf/results/$cpu/bars-$(date -u +%Y-%m-%d)}
mkdir -p "$out"
dotnet build src/RbmSimd.Cli -c Release -v q -nologo >/dev/null
rbm=(dotnet "$repo/src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll")
git rev-parse HEAD > "$out/commit.txt"
common=(--data bars:4 --held-out 0 --hidden 16 --batch-size 30 --epochs "$epochs" --learning-rate 0.2
  --learning-rate-decay-epochs "$epochs" --momentum 0 --final-momentum 0 --weight-decay 0 --save-interval 3600)
for seed in $seeds; do
  for method in cd1 cd10 pcd pt; do
    case $method in
      cd1) phase=(--k 1) ;;
      cd10) phase=(--k 10) ;;
      pcd) phase=(--pcd --chains 300) ;;
      pt) phase=(--parallel-tempering 10 --chains 300) ;;
    esac
    dir=$out/$method-seed$seed
    [[ -f $dir/done ]] && continue
    args=(train "${common[@]}" "${phase[@]}" --seed "$seed" --output "$dir" --force)
    echo "== rbm ${args[*]}"
    start=$(date +%s.%N)
    "${rbm[@]}" "${args[@]}" > "$out/$method-seed$seed.log" 2>&1
    end=$(date +%s.%N)
    printf 'rbm %s\n%s\n' "${args[*]}" "$(/usr/bin/python3 -c "print($end - $start)")" > "$dir/done"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import csv, os, sys, statistics
out = sys.argv[1]
names = dict(cd1='CD-1', cd10='CD-10', pcd='PCD (300 chains)', pt='parallel tempering (10 replicas × 300 chains)')
rows = {}
for d in sorted(os.listdir(out)):
    p = os.path.join(out, d)
    if not os.path.isfile(os.path.join(p, 'done')): continue
    method, seed = d.split('-seed')
    ll = [float(r['log_likelihood_train']) * 30 for r in csv.DictReader(open(os.path.join(p, 'metrics.csv')))]
    cmd, secs = open(os.path.join(p, 'done')).read().split('\n')[:2]
    rows.setdefault(method, []).append((int(seed), ll[-1], max(ll), float(secs), cmd))
lines = ['# Bars and stripes 4 × 4, 16 hidden units: total exact log-likelihood of the 30 patterns (optimum −102.04)', '',
         '| method | seeds | last epoch, per seed | median | best epoch, per seed | wall time per run (s, median) |', '|---|---|---|---|---|---|']
for m in ['cd1', 'cd10', 'pcd', 'pt']:
    if m not in rows: continue
    r = sorted(rows[m])
    lines.append(f"| {names[m]} | {' '.join(str(s) for s, *_ in r)} | {' / '.join(f'{x:.2f}' for _, x, *_ in r)} | {statistics.median(x for _, x, *_ in r):.2f} | "
                 f"{' / '.join(f'{b:.2f}' for _, _, b, *_ in r)} | {statistics.median(t for *_, t, _ in r):.1f} |")
lines += ['', 'Commands (seed 1; the others differ only in --seed and --output):', '']
for m in ['cd1', 'cd10', 'pcd', 'pt']:
    if m in rows: lines.append(f'- `{sorted(rows[m])[0][4]}`')
open(os.path.join(out, 'summary.md'), 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PY
