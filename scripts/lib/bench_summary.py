#!/usr/bin/env python3
"""BENCHMARKS.md's figures from one run of scripts/bench.sh.

Reads every criterion estimate the run wrote (`<dir>/**/new/estimates.json` with its
`benchmark.json`, newer than the run's start: an estimate left by an earlier run is never used),
the agreement table of peers/zen, the wasm package's size and its Node figures, and writes
BENCHMARKS.json (machine-readable) and the part of BENCHMARKS.md between `<!-- bench:begin -->`
and `<!-- bench:end -->`. Medians throughout.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"

# A step of a scale curve is called super-linear when the time grows by more than this factor
# times the size: above measurement noise on a shared machine, well below the 10x of a
# quadratic step between points a decade apart.
SUPER_LINEAR = 1.5


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True, check=False)
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "os": f"{platform.system()} {platform.release()}",
        "rustc": rustc.stdout.strip() or "unknown",
    }


def steps(path):
    """(start, name) of each step of the run, in order."""
    out = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                when, name = line.strip().split(" ", 1)
                out.append((float(when), name))
    return out


def estimates(dirs, since, run_steps):
    found = []
    for root in dirs:
        for here, _, files in os.walk(root):
            if os.path.basename(here) != "new" or "estimates.json" not in files:
                continue
            path = os.path.join(here, "estimates.json")
            written = os.path.getmtime(path)
            if written < since:
                continue
            with open(path, encoding="utf-8") as f:
                est = json.load(f)
            with open(os.path.join(here, "benchmark.json"), encoding="utf-8") as f:
                bench = json.load(f)
            step = None
            for start, name in run_steps:
                if start <= written:
                    step = name
            median = est["median"]
            found.append({
                "step": step,
                "id": bench["full_id"],
                "group": bench["group_id"],
                "function": bench.get("function_id"),
                "value": bench.get("value_str"),
                "median_ns": median["point_estimate"],
                "median_ci_ns": [median["confidence_interval"]["lower_bound"],
                                 median["confidence_interval"]["upper_bound"]],
                "mean_ns": est["mean"]["point_estimate"],
            })
    found.sort(key=lambda b: (b["step"] or "", b["id"]))
    return found


def t(ns):
    if ns is None:
        return "—"
    if ns < 1_000:
        return f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.2f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1_000_000:.2f} ms"
    return f"{ns / 1_000_000_000:.2f} s"


def ratio(a, b):
    return f"{a / b:.1f}×" if a and b else "—"


def find(benches, step, group, function=None, value=None):
    for b in benches:
        if b["step"] == step and b["group"] == group and (function is None or b["function"] == function) \
                and (value is None or b["value"] == value):
            return b["median_ns"]
    return None


def number(value):
    m = re.match(r"^(\d+)x?$", (value or "").replace(",", ""))
    return int(m.group(1)) if m else None


def section_zen(benches, lines):
    groups = []
    for b in benches:
        if b["step"] == "zen" and b["group"] not in groups:
            groups.append(b["group"])
    lines += [
        "### caseflow beside GoRules ZEN",
        "",
        "`peers/zen` (`zen-engine` 2.1.6, pinned; a package of its own, never built by the workspace or CI):",
        "the default policy's category and tier rules as a ZEN decision graph, generated from",
        "`core/policy/default.json` by `cargo run --release --bin zen-graph` (`peers/zen/graph/default.json`:",
        "two expression nodes and two first-hit decision tables; what it cannot express is in `peers/zen/README.md`).",
        "Same process, same reports. caseflow's JSON call takes the report's text and writes the whole answer",
        "(routing, deadlines, explanation); its typed call takes a read `Report`; ZEN's `evaluate` takes the",
        "report as a ZEN `Variable` and answers the category and the tier only. Target (issue 15): caseflow at least",
        "10× faster than ZEN (ZEN's time ÷ caseflow's ≥ 10).",
        "",
        "| reports | caseflow `api::call` (JSON) | caseflow typed | ZEN `evaluate` | ZEN ÷ caseflow JSON | ZEN ÷ caseflow typed |",
        "|---|---|---|---|---|---|",
    ]
    met = []
    for g in groups:
        json_ns = find(benches, "zen", g, "caseflow api::call (JSON)")
        typed_ns = find(benches, "zen", g, "caseflow typed")
        zen_ns = find(benches, "zen", g, "ZEN evaluate")
        name = g.split("/", 1)[1]
        lines.append(f"| {name} | {t(json_ns)} | {t(typed_ns)} | {t(zen_ns)} | "
                     f"{ratio(zen_ns, json_ns)} | {ratio(zen_ns, typed_ns)} |")
        if zen_ns and json_ns:
            met.append((name, zen_ns / json_ns >= 10))
    lines.append("")
    if met:
        missed = [name for name, ok in met if not ok]
        lines += [f"The target, by the JSON call: met on {len(met) - len(missed)} of {len(met)} rows"
                  + (f"; not on {', '.join(missed)}." if missed else "."), ""]


def curve(points):
    """Rows and a verdict for (size, median) points in size order."""
    rows, worst = [], None
    for i, (n, ns) in enumerate(points):
        growth = "—"
        if i > 0:
            pn, pns = points[i - 1]
            g = (ns / pns) / (n / pn)
            growth = f"{g:.2f}"
            if worst is None or g > worst[0]:
                worst = (g, pn, n)
        rows.append((n, ns, growth))
    if worst is None:
        verdict = "one point: no curve"
    elif worst[0] > SUPER_LINEAR:
        verdict = f"**super-linear step** from {worst[1]:,} to {worst[2]:,} (time grew {worst[0]:.2f}× the size)"
    else:
        verdict = f"linear or better (largest step: time grew {worst[0]:.2f}× the size)"
    return rows, verdict


def section_scale(benches, lines):
    curves = {}
    for b in benches:
        if b["group"].startswith("scale/") and number(b["value"]) is not None:
            curves.setdefault((b["group"], b["function"]), []).append((number(b["value"]), b["median_ns"]))
    lines += [
        "### Scale curves",
        "",
        "`benches/scale.rs`. Growth is the step's time ratio divided by its size ratio: 1 is linear, below 1",
        "better (a fixed cost per call dominates the small end), 10 between decades would be quadratic. A step",
        f"above {SUPER_LINEAR} is marked super-linear.",
        "",
        "| curve | size | median | per unit | growth |",
        "|---|---|---|---|---|",
    ]
    units = {"scale/description": "character", "scale/log": "event", "scale/policy": "× the default",
             "scale/assess": "case"}
    verdicts = []
    for (group, function), points in sorted(curves.items()):
        points.sort()
        rows, verdict = curve(points)
        unit = units.get(group, "unit")
        name = f"{group.split('/', 1)[1]}: {function}" if function else group.split("/", 1)[1]
        for n, ns, growth in rows:
            size = f"{n}×" if group == "scale/policy" else f"{n:,}"
            lines.append(f"| {name} | {size} | {t(ns)} | {t(ns / n)} per {unit} | {growth} |")
        verdicts.append(f"- {name}: {verdict}.")
    lines.append("")
    lines += verdicts
    if not any(g == "scale/assess" for g, _ in curves):
        lines.append("- assess over 10⁴ to 10⁶ cases: not measured yet; it comes with the supervision work (a "
                     "`scale/assess` benchmark group with the number of cases as its parameter is picked up here).")
    lines.append("")


def section_plain(benches, step, title, intro, lines):
    rows = [b for b in benches if b["step"] == step]
    if not rows:
        return
    lines += [f"### {title}", "", intro, "", "| benchmark | median |", "|---|---|"]
    for b in rows:
        lines.append(f"| {b['id']} | {t(b['median_ns'])} |")
    lines.append("")


def section_ffi(benches, lines):
    typed = find(benches, "ffi", "classify", "rust api::classify (typed result)")
    rust = find(benches, "ffi", "classify", "rust api::call (JSON in, JSON out)")
    section_plain(benches, "ffi", "The C ABI",
                  "`ffi/benches/classify.rs`: one report, in Rust and through `caseflow_classify`.", lines)
    others = [b["median_ns"] for b in benches if b["step"] == "ffi" and b["function"] and
              "caseflow_classify" in b["function"]]
    if others and rust:
        lines += [f"The C ABI costs {others[0] / rust:.2f}× the same JSON call in Rust"
                  + (f" ({others[0] / typed:.2f}× the typed call)." if typed else "."), ""]


def section_wasm(work, benches, lines):
    size_path = os.path.join(work, "wasm-size.json")
    speed_path = os.path.join(work, "wasm-speed.json")
    if not os.path.exists(size_path):
        lines += ["### The WebAssembly package", "", "Not measured in this run (`--no-wasm`).", ""]
        return None, None
    with open(size_path, encoding="utf-8") as f:
        size = json.load(f)
    lines += [
        "### The WebAssembly package",
        "",
        "`bash bindings/js/build.sh`, then the size of `wasm/pkg/web/caseflow_wasm_bg.wasm`, raw and `gzip -9`"
        " (ceilings, in scripts/suites/50-wasm-node.sh: 1,060 KiB raw, 420,000 bytes gzipped).",
        "",
        "| raw | gzip -9 |",
        "|---|---|",
        f"| {size['raw']:,} B ({size['raw'] / 1024:.0f} KiB) | {size['gzip9']:,} B ({size['gzip9'] / 1024:.0f} KiB) |",
        "",
    ]
    speed = None
    if os.path.exists(speed_path):
        with open(speed_path, encoding="utf-8") as f:
            speed = json.load(f)
        lines += [
            f"Classification in Node {speed['node']} (`node bindings/js/bench.mjs`, medians of 25 batches of"
            " 400 calls) beside the native `classify` bench of the same run:",
            "",
            "| report | native `api::call` | wasm `callJson` | wasm `classify(object)` | wasm ÷ native |",
            "|---|---|---|---|---|",
        ]
        for row in speed["rows"]:
            native = find(benches, "classify", "classify", row["report"])
            wasm_us = float(row["wasm callJson µs"])
            lines.append(f"| {row['report']} | {t(native)} | {wasm_us:.1f} µs | "
                         f"{float(row['wasm classify(object) µs']):.1f} µs | "
                         f"{ratio(wasm_us * 1000, native)} |")
        lines.append("")
    return size, speed


# Issue 15's targets for one classification (criterion medians): the typed call, and the JSON call
# by report (the long report has its own).
TYPED_TARGET_NS = 1_500
JSON_TARGET_NS = {"short": 5_000, "english": 5_000, "long": 10_000}


def section_targets(work, benches, lines):
    """Issue 15's speed targets beside this run's medians, and the instructions per call."""
    path = os.path.join(work, "instructions.json")
    counts = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            counts = json.load(f)
    lines += [
        "### One classification against its targets",
        "",
        "Issue 15's targets: the typed call (`api::typed::classify`) ≤ 1.5 µs; the JSON call",
        "(`api::call(Classify)`) ≤ 5 µs on the short and English reports, ≤ 10 µs on the long one. The typed",
        "median is the ZEN bench's `caseflow typed` (a report already read), the JSON median the `classify`",
        "bench's (the same reports, `benches/data/classify-reports.json`). The",
        "instructions per call are callgrind's count (`scripts/profile.sh`, which this run ran): unlike a time,",
        "the load of the machine does not move it.",
        "",
        "| report | typed: median | target | instructions | JSON: median | target | instructions |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, json_target in JSON_TARGET_NS.items():
        typed_ns = find(benches, "zen", f"zen/{name}", "caseflow typed")
        json_ns = find(benches, "classify", "classify", name)
        report = (counts or {}).get("reports", {}).get(name, {})

        def verdict(ns, target):
            return "—" if ns is None else ("met" if ns <= target else f"not met ({ns / target:.0f}× over)")

        def count(mode):
            n = report.get(mode, {}).get("instructions")
            return f"{n / 1000:.1f}k" if n is not None else "—"
        lines.append(f"| {name} | {t(typed_ns)} | ≤ {t(TYPED_TARGET_NS)}: {verdict(typed_ns, TYPED_TARGET_NS)}"
                     f" | {count('typed')} | {t(json_ns)} | ≤ {t(json_target)}: {verdict(json_ns, json_target)}"
                     f" | {count('json')} |")
    lines.append("")
    if counts:
        reports = counts["reports"]
        lines += [
            "Where the instructions of one JSON call go (`scripts/profile.sh`: callgrind's inclusive count of"
            " each function, per call; — where the compiler inlined it). What is left is writing the answer"
            " and freeing it and the report:",
            "",
            "| stage | function | " + " | ".join(reports) + " |",
            "|---|---|" + "---|" * len(reports),
        ]

        def k(n):
            return "—" if n is None else f"{n / 1000:.1f}k"
        first = next(iter(reports.values()))
        for i, stage in enumerate(first["stages"]):
            cells = [k(r["stages"][i]["instructions"]) for r in reports.values()]
            lines.append(f"| {stage['what']} | `{stage['function'].removeprefix('caseflow_core::')}` | "
                         + " | ".join(cells) + " |")
        rest = []
        for r in reports.values():
            top = {s["function"]: s["instructions"] for s in r["stages"]}
            read = top.get("caseflow_core::intake::Report::from_json")
            work = top.get("caseflow_core::api::classify_report")
            rest.append(k(r["json"]["instructions"] - read - work) if read and work else "—")
        lines.append("| write the answer, free the answer and the report | — | " + " | ".join(rest) + " |")
        lines.append("| the whole JSON call | `api::call` | "
                     + " | ".join(k(r["json"]["instructions"]) for r in reports.values()) + " |")
        lines.append("")
    return counts


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--since", type=float, required=True)
    p.add_argument("--load-start", default="")
    p.add_argument("--load-end", default="")
    p.add_argument("--command", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--criterion", action="append", default=[])
    p.add_argument("--json", required=True)
    p.add_argument("--markdown", required=True)
    a = p.parse_args()

    run_steps = steps(os.path.join(a.work, "steps.txt"))
    benches = estimates(a.criterion, a.since, run_steps)
    if not benches:
        sys.exit("bench_summary: no estimate newer than the run's start")
    m = machine()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    lines = [
        BEGIN,
        "<!-- Written by scripts/bench.sh (scripts/lib/bench_summary.py); edit the script, not this part. -->",
        "",
        f"**This run:** `{a.command.strip()}`, {date}. Machine: {m['nproc']} cores, {m['cpu']}, {m['os']};"
        f" {m['rustc']}. Load average (1, 5, 15 min) {a.load_start} at the start, {a.load_end} at the end:"
        " other builds ran beside it on this shared machine, so compare figures within the run, not across runs."
        " Criterion medians, release builds, `--warm-up-time 1 --measurement-time 2` (fewer samples for the"
        " largest scale points). Machine-readable: [BENCHMARKS.json](BENCHMARKS.json).",
        "",
    ]
    section_zen(benches, lines)
    agreement = os.path.join(a.work, "zen-agreement.md")
    if os.path.exists(agreement):
        with open(agreement, encoding="utf-8") as f:
            table = f.read().strip()
        lines += [
            "**Agreement** (`cargo run --release --bin zen-agreement` in `peers/zen`): how often ZEN's graph answers",
            "the category and the tier caseflow answers, on the samples and the labelled corpora; against caseflow's",
            "rules alone and against the default policy as it decides (rules and the learned model); and how often each",
            "is right by the corpora's labels. The learned model was trained on these corpora, so caseflow's",
            "figures against the labels are not blind scores (those are in docs/classification.md); ZEN's graph",
            "learned nothing from them.",
            "",
            table,
            "",
        ]
    section_scale(benches, lines)
    section_plain(benches, "classify", "Classification",
                  "`benches/classify.rs`: `api::call(Classify)`, JSON text in and out, on"
                  " `benches/data/classify-reports.json`.", lines)
    instructions = section_targets(a.work, benches, lines)
    section_plain(benches, "lifecycle", "The case lifecycle",
                  "`benches/lifecycle.rs`: a tier-2 case in progress (targets: `apply` ≤ 2 µs,"
                  " a 20-event replay ≤ 20 µs).", lines)
    section_plain(benches, "calendar", "The calendar", "`benches/calendar.rs`.", lines)
    section_plain(benches, "analysis", "Policy analysis",
                  "`benches/analysis.rs`: the workflow checks and the whole analysis of the default"
                  " policy, what `caseflow check` and the form run (issue 14: `check` under one second).", lines)
    section_plain(benches, "verify", "Property verification",
                  "`benches/verify.rs`: one random case history made and checked, and 1,000 through"
                  " proptest's runner (issue 14: `verify --cases 10000` under a minute).", lines)
    section_ffi(benches, lines)
    size, speed = section_wasm(a.work, benches, lines)
    lines.append(END)

    with open(a.markdown, encoding="utf-8") as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"bench_summary: {a.markdown} has no {BEGIN} … {END} markers")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(a.markdown, "w", encoding="utf-8") as f:
        f.write(head + "\n".join(lines) + tail)

    summary = {
        "command": a.command.strip(),
        "date": date,
        "machine": m,
        "load_average": {"start": a.load_start, "end": a.load_end},
        "benchmarks": benches,
        "wasm_size": size,
        "wasm_speed": speed,
        "instructions": instructions,
    }
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
