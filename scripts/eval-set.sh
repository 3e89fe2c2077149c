#!/usr/bin/env bash
# Generate the stand-in labeled eval set and score leakshield against it.
#
#   scripts/eval-set.sh [OUTDIR]        (default: a fresh mktemp dir under /tmp)
#
# Environment: SEED (default 1), LEAKSHIELD (binary, default target/release/leakshield),
#              GEN_ARGS (extra args for gen-eval-set.py), KEEP=1 keeps the temp dir.
# A file counts as detected when it has a finding with "blocking": true; a
# negative file is a false positive when it has any blocking finding.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${LEAKSHIELD:-$ROOT/target/release/leakshield}"
SEED="${SEED:-1}"

if [[ $# -ge 1 ]]; then
    OUT="$1"
    CLEANUP=0
else
    OUT="$(mktemp -d /tmp/leakshield-eval.XXXXXX)"
    CLEANUP=1
    [[ "${KEEP:-0}" == 1 ]] && CLEANUP=0
fi
case "$(cd "$(dirname "$OUT")" 2>/dev/null && pwd)/" in
    "$ROOT"/*) echo "refusing to write generated data inside the repo: $OUT" >&2; exit 2 ;;
esac

python3 "$ROOT/scripts/gen-eval-set.py" "$OUT" --seed "$SEED" ${GEN_ARGS:-}

# The binary is rebuilt by others from time to time: wait for it briefly.
for _ in $(seq 1 15); do
    [[ -x "$BIN" ]] && break
    echo "waiting for $BIN ..." >&2
    sleep 20
done

REPORT="$(mktemp /tmp/leakshield-eval-report.XXXXXX.json)"
set +e
"$BIN" scan --format json --no-config --quiet "$OUT" >"$REPORT"
rc=$?
set -e
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "leakshield exited with $rc" >&2
    exit $rc
fi

python3 - "$OUT" "$REPORT" <<'PY'
import json, os, sys
from collections import defaultdict

out, report = sys.argv[1], sys.argv[2]
outabs = os.path.realpath(out)
labels = [json.loads(l) for l in open(os.path.join(out, "labels.jsonl"))]
data = json.load(open(report))

def rel(p):
    p = os.path.realpath(p if os.path.isabs(p) else os.path.join(os.getcwd(), p))
    return os.path.relpath(p, outabs)

blocking = defaultdict(list)   # file -> [(rule, line, reason)]
warnings = defaultdict(list)
for f in data.get("findings", []):
    r = rel(f["path"])
    item = (f.get("rule_id"), f.get("line"), f.get("reason") or f.get("confidence") or "")
    (blocking if f.get("blocking") else warnings)[r].append(item)

def line_of(path, n):
    try:
        with open(os.path.join(out, path), encoding="utf-8", errors="replace", newline="") as fh:
            lines = fh.read().replace("\r\n", "\n").split("\n")
        s = lines[n - 1].strip() if n and 0 < n <= len(lines) else ""
    except OSError:
        s = ""
    return s if len(s) <= 150 else s[:147] + "..."

pos = [l for l in labels if l["label"] == "positive"]
neg = [l for l in labels if l["label"] == "negative"]
per = defaultdict(lambda: [0, 0])
missed = []
for l in pos:
    hit = l["file"] in blocking
    per[l["kind"]][0] += hit
    per[l["kind"]][1] += 1
    if not hit:
        missed.append(l)
fps = [l for l in neg if l["file"] in blocking]
negper = defaultdict(lambda: [0, 0])
for l in neg:
    negper[l["kind"]][0] += l["file"] in blocking
    negper[l["kind"]][1] += 1

print("== recall per kind")
for k in sorted(per, key=lambda k: (per[k][0] / per[k][1], k)):
    h, n = per[k]
    print(f"  {k:28s} {h:3d}/{n:<3d} {h / n:6.1%}")
print("\n== false-positive files per negative class")
for k in sorted(negper, key=lambda k: (-negper[k][0], k)):
    h, n = negper[k]
    print(f"  {k:28s} {h:3d}/{n:<3d} {h / n:6.1%}")

recall = sum(v[0] for v in per.values()) / max(1, len(pos))
fprate = len(fps) / max(1, len(neg))
print(f"\nrecall            {recall:.4f}  ({len(pos) - len(missed)}/{len(pos)})   target >= 0.97")
print(f"FP file rate      {fprate:.4f}  ({len(fps)}/{len(neg)})   target <= 0.01")

print(f"\n== missed positives ({len(missed)})")
for l in sorted(missed, key=lambda l: (l["kind"], l["file"])):
    w = warnings.get(l["file"])
    extra = "  [non-blocking: " + ", ".join(sorted({x[0] for x in w})) + "]" if w else ""
    print(f"  {l['kind']:24s} {l['variant']:28s} {l['file']}{extra}")

print(f"\n== flagged negatives ({len(fps)})")
for l in sorted(fps, key=lambda l: (l["kind"], l["file"])):
    for rule, ln, why in blocking[l["file"]]:
        print(f"  {l['kind']:20s} {l['file']}:{ln} {rule} ({why})")
        print(f"      | {line_of(l['file'], ln)}")

unlabeled = sorted(set(blocking) - {l["file"] for l in labels})
if unlabeled:
    print("\n== findings in unlabeled files:", ", ".join(unlabeled))
PY

rm -f "$REPORT"
if [[ $CLEANUP == 1 ]]; then rm -rf "$OUT"; else echo "eval set kept in $OUT" >&2; fi
