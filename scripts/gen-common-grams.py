#!/usr/bin/env python3
"""Writes src/engine/common-grams.txt: the most frequent four-byte grams of
source code, ASCII-case folded the way the keyword filter folds them.

The keyword filter (src/engine/grams.rs) keys each keyword on one of its
first four-byte grams; it picks the one least common in source code so that
ordinary text rarely wakes the exact comparison. Usage:

    scripts/gen-common-grams.py [SOURCE_DIR] [--mb 40] [--top 2000]

SOURCE_DIR defaults to ~/.cargo/registry/src (crate sources: Rust, C, JS,
Python, docs, configs). Each output line is one gram of four printable
characters, lowercase (build.rs folds them the way the filter does), most
common first; only grams of letters, digits and token punctuation are kept.
"""
import argparse, os, random
from collections import Counter

ap = argparse.ArgumentParser()
ap.add_argument("dir", nargs="?", default=os.path.expanduser("~/.cargo/registry/src"))
ap.add_argument("--mb", type=int, default=40)
ap.add_argument("--top", type=int, default=2000)
ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "src", "engine", "common-grams.txt"))
args = ap.parse_args()

files = sorted(os.path.join(r, f) for r, _, fs in os.walk(args.dir) for f in fs)
random.Random(1).shuffle(files)
counts, total = Counter(), 0
for path in files:
    try:
        data = open(path, "rb").read()
    except OSError:
        continue
    if b"\0" in data[:8192]:
        continue
    # Lowercase, not fold: folding would merge e.g. CR into `-` and count it.
    data = data.lower()
    counts.update(data[i:i + 4] for i in range(len(data) - 3))
    total += len(data)
    if total >= args.mb << 20:
        break

# Only grams a keyword can have matter: letters, digits and the punctuation
# seen in token prefixes. Grams with spaces are left out: common ones would
# crowd the list, and few keywords have a space.
KEYWORD_BYTES = set(b"abcdefghijklmnopqrstuvwxyz0123456789_-.:/$~+")

def shown(gram):
    return gram.decode("ascii") if all(c in KEYWORD_BYTES for c in gram) else None

lines = [s for g, _ in counts.most_common() if (s := shown(g))][: args.top]
with open(args.out, "w") as out:
    out.write("".join(line + "\n" for line in lines))
print(f"{len(lines)} grams from {total >> 20} MB -> {args.out}")
