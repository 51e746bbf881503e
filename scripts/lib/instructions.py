#!/usr/bin/env python3
"""Instructions per classification, counted by callgrind: the typed call
(`api::typed::classify`) and the JSON call (`api::call(Classify)`) on each report of
benches/data/classify-reports.json, and where the JSON call's instructions go. Unlike a timing,
a count of instructions does not move with the load of a shared machine, so one run of a change
compares with the run before it.

    python3 scripts/lib/instructions.py [--calls N] [--out target/bench/instructions.json]

Needs valgrind and a release build of `examples/classify_calls.rs` (scripts/bench.sh and
scripts/profile.sh build it). Each count is (instructions of a run making N calls − those of a
run making none) ÷ N, so loading the policy is not counted.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

BINARY = "target/release/examples/classify_calls"
REPORTS = "benches/data/classify-reports.json"
# The stages of a JSON call: the functions callgrind names, with what each does. A typed call
# is `classify_report` alone (plus freeing its answer).
STAGES = [
    ("caseflow_core::intake::Report::from_json", "read the report's JSON"),
    ("caseflow_core::api::classify_report", "classify and route (the typed call's work)"),
    ("caseflow_core::classify::text::normalise::NormalisedText::new", "of which: normalise the text"),
    ("caseflow_core::classify::text::TextMatcher::read_text", "of which: find the terms, cues and quantities"),
    ("caseflow_core::classify::model::Model::predict", "of which: the learned model, with its explanation"),
    ("caseflow_core::routing::route", "of which: routing and deadlines"),
]


def run(args, out):
    """The instructions of one run under callgrind (its profile is written to `out`)."""
    log = out + ".log"
    with open(log, "w", encoding="utf-8") as err:
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", BINARY, *args],
            stdout=subprocess.DEVNULL, stderr=err, check=True)
    with open(log, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"I\s+refs:\s+([\d,]+)", line)
            if m:
                return int(m.group(1).replace(",", ""))
    raise RuntimeError(f"callgrind wrote no total ({log})")


def inclusive(profile, names):
    """Each named function's inclusive instructions in a profile (absent when inlined)."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", profile],
                          capture_output=True, text=True, check=True).stdout
    found = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+\S+?:(\S+) \[", line)
        if m and m.group(2) in names and m.group(2) not in found:
            found[m.group(2)] = int(m.group(1).replace(",", ""))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--out", default="target/bench/instructions.json")
    args = parser.parse_args()
    with open(REPORTS, encoding="utf-8") as f:
        names = [r["name"] for r in json.load(f)]
    result = {"calls": args.calls, "reports": {}}
    with tempfile.TemporaryDirectory() as tmp:
        base = run([names[0], "typed", "0"], os.path.join(tmp, "base"))
        for name in names:
            entry = {}
            for mode in ("typed", "json"):
                profile = os.path.join(tmp, f"{name}-{mode}")
                total = run([name, mode, str(args.calls)], profile)
                per_call = (total - base) / args.calls
                entry[mode] = {"instructions": round(per_call)}
                if mode == "json":
                    found = inclusive(profile, {n for n, _ in STAGES})
                    entry["stages"] = [
                        {"function": n, "what": what,
                         "instructions": round(found[n] / args.calls) if n in found else None}
                        for n, what in STAGES]
                print(f"{name} {mode}: {per_call:,.0f} instructions per call", file=sys.stderr)
            result["reports"][name] = entry
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
