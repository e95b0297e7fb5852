#!/usr/bin/env python3
"""Prints the tables of src/vssctl/text_width.cpp from Python's Unicode data.

Usage: text_width_tables.py > tables.txt   (then paste them over the old ones)

Zero columns: nonspacing and enclosing marks (Mn, Me), format characters (Cf,
but U+00AD SOFT HYPHEN, which terminals show) and the Hangul medial and final
jamo U+1160-U+11FF (they join the syllable before). Two columns: East Asian
Wide and Fullwidth (W, F). Ranges are merged across unassigned code points.
"""
import sys
import unicodedata


def ranges(wanted):
    found = []
    for cp in range(0x110000):
        if wanted(cp):
            if found and all(unicodedata.category(chr(c)) == "Cn" for c in range(found[-1][1] + 1, cp)):
                found[-1][1] = cp
            else:
                found.append([cp, cp])
    return found


def table(name, found):
    lines, line = [], "   "
    for first, last in found:
        item = f" {{0x{first:04X}, 0x{last:04X}}},"
        if len(line) + len(item) > 112:
            lines.append(line)
            line = "   "
        line += item
    lines.append(line)
    return f"constexpr Range {name}[] = {{\n" + "\n".join(lines) + "\n};\n"


def main() -> int:
    zero = ranges(lambda c: (unicodedata.category(chr(c)) in ("Mn", "Me", "Cf") and c != 0xAD)
                  or 0x1160 <= c <= 0x11FF)
    wide = ranges(lambda c: unicodedata.east_asian_width(chr(c)) in ("W", "F"))
    print(f"// Unicode {unicodedata.unidata_version}, by tests/vssctl/text_width_tables.py.")
    print(table("kZeroWidth", zero))
    print(table("kWide", wide), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
