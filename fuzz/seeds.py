#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into fuzz/corpus/<target>/ from the tests' own inputs:
the conformance corpus (tests/conformance/cases/*.json, the input of every call), the scenarios
(scenarios/*.json), the default and test policies, and the stored logs of every event format
(core/tests/data/event-format-*), added to what each corpus holds. Not committed: run it again
after the tests change (scripts/fuzz.sh does). The
minimised inputs of past findings (fuzz/regressions/<target>/) are seeds too.

    python3 fuzz/seeds.py
"""

import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")
TARGETS = ["policy_json", "policy_analysis", "classify", "commands", "event_log", "ffi"]
# The typed exports in the order of fuzz_targets/ffi.rs's CALLS.
FFI_CALLS = ["classify", "deadline", "calendar_days", "clock_status", "record", "apply",
             "tick", "replay", "verify_log", "warranty"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def text(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


def ffi_selector(call):
    """The first byte that picks a typed export: CALLS[n % 10] for n from 3 (0 to 2 are taken)."""
    index = FFI_CALLS.index(call)
    return bytes([index + 10 if index < 3 else index])


def main():
    # Added to what a corpus holds (named by content, so a rerun adds nothing twice): the inputs
    # the fuzzer found on earlier runs stay.
    for target in TARGETS:
        os.makedirs(os.path.join(OUT, target), exist_ok=True)

    cases = [load(f) for f in sorted(glob.glob(os.path.join(ROOT, "tests/conformance/cases/*.json")))]
    policies = [os.path.join(ROOT, "core/policy/default.json")]
    policies += sorted(glob.glob(os.path.join(ROOT, "tests/conformance/policies/*.json")))
    for path in policies:
        with open(path, encoding="utf-8") as f:
            policy = f.read()
        write("policy_json", policy)
        write("policy_analysis", policy)
        write("ffi", b"\x00" + policy.encode("utf-8"))
        write("ffi", b"\x01" + policy.encode("utf-8"))

    # Every call of the corpus: through caseflow_call by name and through its typed export.
    sequence = None
    sequences = []
    for case in cases:
        # A hostile case gives its input as text (duplicate keys, numbers JSON cannot hold).
        call = case["call"]
        data = case["input_text"] if "input_text" in case else text(case["input"])
        if case["policy"] == "default":
            write("ffi", b"\x02" + call.encode() + b"\x00" + data.encode("utf-8"))
            if call in FFI_CALLS:
                write("ffi", ffi_selector(call) + data.encode("utf-8"))
        if call == "classify":
            write("classify", data)
        if call in ("replay", "verify_log"):
            write("event_log", data)
        if call == "record":
            sequence = [data]
            sequences.append(sequence)
        elif call == "apply" and sequence is not None and "input" in case:
            step = {k: v for k, v in case["input"].items() if k != "case"}
            sequence.append(text(step))
    for sequence in sequences:
        write("commands", "\n".join(sequence) + "\n")

    # The scenarios: a report, the clerk who records it, and each step's command by an actor.
    for path in sorted(glob.glob(os.path.join(ROOT, "scenarios/*.json"))):
        scenario = load(path)
        actors = scenario["actors"]
        write("classify", text(scenario["report"]))
        lines = [text({"command": {"type": "record", "actor": actors[scenario["recorded_by"]],
                                   "report": scenario["report"]},
                       "now": scenario["recorded_at"]})]
        for step in scenario["steps"]:
            if "command" not in step:
                continue  # a tick: the target ticks once, at the end
            command = dict(step["command"])
            if isinstance(command.get("actor"), str):
                command["actor"] = actors[command["actor"]]
            lines.append(text({"command": command, "now": step["at"]}))
        write("commands", "\n".join(lines) + "\n")

    # The stored logs of every event format: alone, with their case, with their key.
    for path in sorted(glob.glob(os.path.join(ROOT, "core/tests/data/event-format-*/*.json"))):
        log = load(path)
        events = log["events"]
        write("event_log", text({"events": events}))
        write("event_log", text({"events": events, "case": log["case"]}))
        if "key" in log:
            write("event_log", text({"events": events, "key": log["key"]}))
        write("ffi", ffi_selector("replay") + text({"events": events}).encode("utf-8"))

    # A few by hand: empty, not UTF-8, not JSON, deep nesting.
    for target in TARGETS:
        for data in [b"", b"{}", b"[]", b"null", b"\xff\xfe{\"a\":1}", b"[" * 64 + b"]" * 64]:
            write(target, data)
    write("ffi", b"\x02clas\xc3sify\x00{}")
    write("ffi", b"\x82classify\x00{\"description\":\"\xe6\xbc\x8f\"}")

    # The minimised inputs of past findings.
    for target in TARGETS:
        for path in glob.glob(os.path.join(ROOT, "fuzz/regressions", target, "*")):
            with open(path, "rb") as f:
                write(target, f.read())

    for target in TARGETS:
        print(f"{target}: {len(os.listdir(os.path.join(OUT, target)))} inputs", file=sys.stderr)


if __name__ == "__main__":
    main()
