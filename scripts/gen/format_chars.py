#!/usr/bin/env python3
"""Prints FORMAT_CHARACTERS for core/src/classify/text.rs: the ranges of Unicode category Cf."""
import unicodedata

ranges, start, prev = [], None, None
for cp in range(0x110000):
    if unicodedata.category(chr(cp)) == "Cf":
        if start is None:
            start = cp
        elif cp != prev + 1:
            ranges.append((start, prev))
            start = cp
        prev = cp
ranges.append((start, prev))
print(f"// Unicode {unicodedata.unidata_version}")
for first, last in ranges:
    print(f"    (0x{first:X}, 0x{last:X}),")
