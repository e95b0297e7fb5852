#!/usr/bin/env python3
"""The XML documents' schemas (abi/xml/*.xsd) hold the library's own output.

Usage: check_schema.py --schema-dir abi/xml --golden-dir tests/documents/golden

Each golden/<name>.xml (written byte for byte by the library, see
backup_document_test.cpp) must validate against abi/xml/<name>.xsd.
Skipped (exit 77) when python3-lxml is missing.
"""
import argparse
import os
import sys

try:
    from lxml import etree
except ImportError:
    # Debian's python3-lxml belongs to /usr/bin/python3; another python3 may come first on PATH.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("python3-lxml is missing: skipped")
    sys.exit(77)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema-dir", required=True)
    parser.add_argument("--golden-dir", required=True)
    args = parser.parse_args()
    failures = 0
    checked = 0
    for name in sorted(os.listdir(args.golden_dir)):
        if not name.endswith(".xml"):
            continue
        schema_path = os.path.join(args.schema_dir, name[:-4] + ".xsd")
        schema = etree.XMLSchema(etree.parse(schema_path))
        document = etree.parse(os.path.join(args.golden_dir, name))
        checked += 1
        if not schema.validate(document):
            failures += 1
            for error in schema.error_log:
                print(f"FAIL {name}:{error.line}: {error.message}")
    print(f"{checked} document(s) checked against their schema, {failures} failed")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
