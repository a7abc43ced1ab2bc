#!/usr/bin/env python3
"""bench/oracle.py — how far wirelab's packet engine agrees with tshark.

For each capture it asks tshark and `wirelab packets` for every field
docs/filters.md lists (those tshark knows too), with -T fields, and for the
one-line summaries (tshark -n), and compares them frame by frame:

  values   a (frame, field) pair where either side prints something counts;
           it agrees when both print the same text (all occurrences, in order)
  lines    a frame's summary line, identical or not

It prints the totals, the captures and fields that disagree most, and one
example of each field's disagreement, so the next fix is the biggest one.

Usage: bench/oracle.py [--captures N] [--fields PREFIX,...] [FILE ...]
  FILE ...       captures to compare (default: a deterministic sample of N
                 captures of ../shared/corpus/tcpdump-tests whose link types
                 wirelab decodes, and ../shared/corpus/captures)
  --captures N   size of that sample (default 60; 0 for all of them)
  --fields P     only fields starting with one of the prefixes (ip.,tcp.)
  --wirelab BIN  a built wirelab (default: go build . into a temporary dir)
Needs tshark (and capinfos, from the same package) on PATH.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
LINKTYPES = {"ether", "linux-sll", "linux-sll2", "null", "loop", "rawip", "rawip4",
             "rawip6", "ppp", "ppp-hdlc", "chdlc"}
CHUNK = 120  # fields per tshark run (its command line and memory)


def doc_fields():
    fields, in_fields = [], False
    with open(os.path.join(ROOT, "docs", "filters.md")) as f:
        for line in f:
            if line.startswith("## "):
                in_fields = line.strip() == "## Fields"
            m = re.match(r"^\| `([a-z0-9_.-]+)` \|", line)
            if in_fields and m:
                fields.append(m.group(1))
    return fields


def tshark_fields():
    """The fields tshark knows, without the protocols themselves (-e ip
    prints the protocol's tree line, "Internet Protocol Version 4, Src: ...",
    which wirelab does not write)."""
    out = subprocess.run(["tshark", "-G", "fields"], capture_output=True, text=True).stdout
    return {l.split("\t")[2] for l in out.splitlines()
            if l.startswith("F\t") and len(l.split("\t")) > 3 and l.split("\t")[3] != "FT_PROTOCOL"}


def sample(n):
    d = os.path.join(CORPUS, "tcpdump-tests")
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith((".pcap", ".pcapng")))
    out = subprocess.run(["capinfos", "-T", "-E", "-m"] + files, capture_output=True, text=True).stdout
    keep = []
    for l in out.splitlines()[1:]:
        parts = l.split(",")
        if len(parts) >= 2 and parts[1] in LINKTYPES and os.path.getsize(parts[0]) < 2 << 20:
            keep.append(parts[0])
    if n and len(keep) > n:
        step = len(keep) / n
        keep = [keep[int(i * step)] for i in range(n)]
    caps = os.path.join(CORPUS, "captures")
    if os.path.isdir(caps):
        keep += sorted(os.path.join(caps, f) for f in os.listdir(caps) if f.endswith((".pcap", ".pcapng")))
    return keep


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def field_values(tool, cap, fields):
    """Rows of values, one list per frame, or None with the error."""
    rows = None
    for i in range(0, len(fields), CHUNK):
        chunk = fields[i:i + CHUNK]
        args = []
        for f in chunk:
            args += ["-e", f]
        if tool == "tshark":
            cmd = ["tshark", "-r", cap, "-T", "fields", "-E", "occurrence=a"] + args
        else:
            cmd = [tool, "packets", cap, "-T", "fields"] + args
        rc, out, err = run(cmd)
        if rc != 0 and not out:
            return None, err.strip().splitlines()[-1] if err.strip() else "exit %d" % rc
        lines = out.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        part = [l.split("\t") for l in lines]
        if rows is None:
            rows = [[] for _ in part]
        if len(part) != len(rows):
            return None, "%d frames, then %d" % (len(rows), len(part))
        for r, p in zip(rows, part):
            r += (p + [""] * len(chunk))[:len(chunk)]
    return rows or [], None


def lines_of(tool, cap):
    cmd = ["tshark", "-n", "-r", cap] if tool == "tshark" else [tool, "packets", cap]
    rc, out, err = run(cmd)
    return out.rstrip("\n").split("\n") if out.strip() else []


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--captures", type=int, default=60)
    ap.add_argument("--fields", default="")
    ap.add_argument("--wirelab", default="")
    ap.add_argument("--examples", type=int, default=25, help="fields listed with an example")
    a = ap.parse_args()

    wl = a.wirelab
    tmp = tempfile.mkdtemp()
    if not wl:
        wl = os.path.join(tmp, "wirelab")
        subprocess.run(["go", "build", "-o", wl, "."], cwd=ROOT, check=True)
    known = tshark_fields()
    fields = [f for f in doc_fields() if f in known]
    if a.fields:
        fields = [f for f in fields if f.startswith(tuple(a.fields.split(",")))]
    caps = a.files or sample(a.captures)

    agree = total = lagree = ltotal = 0
    by_field = collections.defaultdict(lambda: [0, 0])  # disagreements, pairs
    example = {}
    by_cap = []
    for cap in caps:
        name = os.path.basename(cap)
        want, err = field_values("tshark", cap, fields)
        if want is None:
            print("skip %s: tshark: %s" % (name, err), file=sys.stderr)
            continue
        got, err = field_values(wl, cap, fields)
        if got is None or len(got) != len(want):
            print("%s: wirelab: %s" % (name, err or "%d frames, tshark %d" % (len(got), len(want))), file=sys.stderr)
            got = [[""] * len(fields) for _ in want]
        cbad = ctot = 0
        for n, (w, g) in enumerate(zip(want, got), 1):
            for f, x, y in zip(fields, w, g):
                if not x and not y:
                    continue
                ctot += 1
                by_field[f][1] += 1
                if x != y:
                    cbad += 1
                    by_field[f][0] += 1
                    example.setdefault(f, (name, n, x, y))
        total += ctot
        agree += ctot - cbad
        tl, wl_lines = lines_of("tshark", cap), lines_of(wl, cap)
        same = sum(1 for x, y in zip(tl, wl_lines) if x == y)
        ltotal += len(tl)
        lagree += same
        by_cap.append((cbad, ctot, len(tl) - same, len(tl), name))

    print("captures %d, fields %d" % (len(by_cap), len(fields)))
    print("values: %d of %d agree (%.1f %%)" % (agree, total, 100.0 * agree / max(total, 1)))
    print("lines:  %d of %d identical (%.1f %%)" % (lagree, ltotal, 100.0 * lagree / max(ltotal, 1)))
    print("\ncaptures that disagree most (values bad/pairs, lines bad/frames):")
    for cbad, ctot, lbad, ltot, name in sorted(by_cap, reverse=True)[:15]:
        if cbad or lbad:
            print("  %-45s %6d/%-6d %4d/%d" % (name, cbad, ctot, lbad, ltot))
    print("\nfields that disagree most (bad/pairs, first example: capture frame tshark | wirelab):")
    worst = sorted(by_field.items(), key=lambda kv: -kv[1][0])
    for f, (bad, tot) in worst[:a.examples]:
        if not bad:
            break
        cap, n, x, y = example[f]
        print("  %-36s %5d/%-5d %s %d %r | %r" % (f, bad, tot, cap, n, x[:60], y[:60]))


if __name__ == "__main__":
    main()
