#!/usr/bin/env bash
# Issue 11's table in the form of Salakhutdinov and Murray's (2008): RBMs trained on Fashion-MNIST (binarised at
# pixel > 127, i.e. --binarize 0.5 of pixel/255) with CD-1, CD-3, CD-25 and PCD, with 20 hidden units (exact, AIS and
# reverse AIS side by side) and 500 hidden units (AIS and reverse AIS with their intervals); test log-likelihood in
# nats per image, the command behind each row and the wall time of each estimate. Everything goes through the rbm CLI.
#
# Usage: perf/scripts/likelihood-table.sh [OPTIONS]
#   --hidden "20 500"     hidden-layer sizes (default both)
#   --methods LIST        cd1,cd3,cd25,pcd (default all)
#   --epochs N            training epochs (default 20)
#   --raise-rows N        test images scored by reverse AIS (default 500 for 20 hidden units, 100 for 500)
#   --out DIR             output folder (default perf/results/<cpu-folder>/likelihood-<date>); models already
#                         trained there are reused, so an interrupted sitting continues where it stopped
#   --data DIR            Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)
# Writes, per model, train.log, score.json and score.log, and at the end summary.md. A full sitting takes one to two
# hours on 2 cores (CD-25 with 500 hidden units and the 500-unit AIS and reverse-AIS runs dominate).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
hidden="20 500" methods="cd1,cd3,cd25,pcd" epochs=20 raise_rows="" out="" data=/usr/share/datasets/fashion-mnist
while (($#)); do
  case $1 in
    --hidden) hidden=${2//,/ }; shift ;;
    --methods) methods=$2; shift ;;
    --epochs) epochs=$2; shift ;;
    --raise-rows) raise_rows=$2; shift ;;
    --out) out=$2; shift ;;
    --data) data=$2; shift ;;
    *) echo "likelihood-table.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -f $data/train-images-idx3-ubyte.gz ]] || { echo "likelihood-table.sh: no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
cpu=$(/usr/bin/python3 perf/scripts/peerlib.py cpu-folder)
out=${out:-perf/results/$cpu/likelihood-$(date -u +%Y-%m-%d)}
mkdir -p "$out"
dotnet build src/RbmSimd.Cli -c Release -v q -nologo >/dev/null
rbm=(dotnet "$repo/src/RbmSimd.Cli/bin/Release/net10.0/rbm.dll")
lscpu > "$out/lscpu.txt"
git rev-parse HEAD > "$out/commit.txt"

for h in $hidden; do
  for m in ${methods//,/ }; do
    name=h$h-$m
    dir=$out/$name
    case $m in
      cd1) phase=(--k 1) ;;
      cd3) phase=(--k 3) ;;
      cd25) phase=(--k 25) ;;
      # PCD without momentum: with momentum its persistent chains can collapse the model onto one hidden state, a
      # mode annealing never reaches (docs/likelihood.md, "When AIS fails").
      pcd) phase=(--pcd --chains 100 --momentum 0 --final-momentum 0) ;;
      *) echo "likelihood-table.sh: unknown method $m" >&2; exit 2 ;;
    esac
    train=(train --data "fashion-mnist:$data" --binarize 0.5 --hidden "$h" --epochs "$epochs" --batch-size 100
      --learning-rate 0.05 --learning-rate-decay-epochs "$epochs" "${phase[@]}" --exact-ll-max-units 0 --seed 1
      --output "$dir" --force)
    if [[ ! -f $dir/model.npz || ! -f $dir/train.done ]]; then
      echo "== training $name: rbm ${train[*]}"
      "${rbm[@]}" "${train[@]}" > "$dir.train.log" 2>&1
      mv "$dir.train.log" "$dir/train.log"
      printf 'rbm %s\n' "${train[*]}" > "$dir/train.done"
    fi
    rows=${raise_rows:-$([[ $h -le 26 ]] && echo 500 || echo 100)}
    score=(score "$dir/model.npz" --data "fashion-mnist:$data" --binarize 0.5 --part test --ais --raise-rows "$rows" --seed 1 --json)
    if [[ ! -f $dir/score.json ]]; then
      echo "== scoring $name: rbm ${score[*]}"
      start=$(date +%s.%N)
      "${rbm[@]}" "${score[@]}" > "$dir/score.json.tmp" 2> "$dir/score.log"
      end=$(date +%s.%N)
      mv "$dir/score.json.tmp" "$dir/score.json"
      printf 'rbm %s\n%s\n' "${score[*]}" "$(echo "$end - $start" | bc)" > "$dir/score.cmd"
    fi
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = []
for name in sorted(os.listdir(out), key=lambda n: (int(n.split('-')[0][1:]), ['cd1', 'cd3', 'cd25', 'pcd'].index(n.split('-')[1])) if n.startswith('h') and '-' in n else (9e9, 0)):
    d = os.path.join(out, name)
    if not (name.startswith('h') and os.path.isfile(os.path.join(d, 'score.json'))): continue
    s = json.load(open(os.path.join(d, 'score.json')))
    cmd = open(os.path.join(d, 'score.cmd')).read().split('\n')
    train = open(os.path.join(d, 'train.done')).read().strip()
    rows.append((name, s, train, cmd[0], float(cmd[1])))
def f(x, d=2): return '–' if x is None else f'{x:.{d}f}'
lines = ['# Test log-likelihood on Fashion-MNIST (nats per image)', '',
         f'CPU: see lscpu.txt; commit {open(os.path.join(out, "commit.txt")).read().strip()[:10]}.', '',
         '| model | hidden | exact (all test) | AIS (all test) | AIS interval | exact (RAISE rows) | AIS (RAISE rows) | RAISE (± s.e. over rows) | RAISE rows | log Z exact | log Z AIS | score wall time (s) |',
         '|---|---|---|---|---|---|---|---|---|---|---|---|']
for name, s, train, score, secs in rows:
    h, m = name.split('-')
    lines.append(f"| {dict(cd1='CD-1', cd3='CD-3', cd25='CD-25', pcd='PCD')[m]} | {h[1:]} | {f(s['log_likelihood'])} | {f(s['log_likelihood_ais'])} | "
                 f"[{f(s['ais_lower'])}, {f(s['ais_upper'])}] | {f(s['raise_rows_log_likelihood'])} | {f(s['raise_rows_log_likelihood_ais'])} | "
                 f"{f(s['log_likelihood_raise'])} ± {f(s['raise_standard_error'])} | {s['raise_rows']} | {f(s['logz'], 3)} | {f(s['logz_ais'], 3)} | {secs:.0f} |")
lines += ['', 'Commands:', '']
for name, s, train, score, secs in rows:
    lines += [f'- {name}: `{train}` then `{score}`']
open(os.path.join(out, 'summary.md'), 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PY
