#!/usr/bin/env python3
"""Every rule id the project cites is documented in docs/contract.md.

Usage: check_rule_docs.py [--reference FILE] [--without ID] SOURCE_ROOT

A rule is documented when docs/contract.md has a heading "### <id> — title"
right after the anchor line '<a id="<id in lower case>"></a>'. The check fails
when:
- an id cited in src/, tests/, abi/, examples/, bindings/, docs/ or README.md
  has no such heading (a new id in the code needs its documentation);
- a rule heading lacks its anchor, or an id has two headings;
- the behaviour contract, when it can be found, has a rule that
  docs/contract.md lacks, or docs/contract.md has a rule the contract does not.

The contract lives outside the repository (shared/reference/ beside or above
the checkout) and is absent from a CI clone; then only the first checks run.
--reference names it explicitly. --without drops one rule from
docs/contract.md as read, so that the suite can show this check fails.
"""
import argparse
import re
import sys
from pathlib import Path

RULE_ID = re.compile(r"(?<![A-Za-z0-9_])C-\d+\.\d+(?![0-9])")
HEADING = re.compile(r"^### (C-\d+\.\d+) — \S")
ANCHOR = re.compile(r'^<a id="(c-\d+\.\d+)"></a>$')
REFERENCE_RULE = re.compile(r"^- (C-\d+\.\d+) ", re.MULTILINE)
SCANNED = ["src", "tests", "abi", "examples", "bindings", "docs", "README.md"]
SKIPPED_DIRS = {".git", "build", "node_modules", "target", "__pycache__"}
REFERENCE_PATH = Path("shared") / "reference" / "behaviour-contract.md"


def documented_rules(contract: str, without: str):
    """The ids with a heading and its anchor; problems with headings and anchors."""
    lines = contract.splitlines()
    if without:
        lines = [line for line in lines
                 if not line.startswith(f"### {without} ") and line != f'<a id="{without.lower()}"></a>']
    rules, problems = {}, []
    for number, line in enumerate(lines):
        match = HEADING.match(line)
        if match is None:
            if line.startswith("### C-"):
                problems.append(f"docs/contract.md:{number + 1}: rule heading not of the form '### C-x.y — title'")
            continue
        rule = match.group(1)
        anchor = ANCHOR.match(lines[number - 1]) if number > 0 else None
        if anchor is None or anchor.group(1) != rule.lower():
            problems.append(f'docs/contract.md:{number + 1}: {rule} lacks its anchor <a id="{rule.lower()}"></a> '
                            "on the line before")
        if rule in rules:
            problems.append(f"docs/contract.md:{number + 1}: {rule} has a second heading (first on line {rules[rule]})")
        rules.setdefault(rule, number + 1)
    return set(rules), problems


def cited_rules(root: Path):
    """Each cited id with the first place that cites it."""
    cited = {}
    for name in SCANNED:
        top = root / name
        files = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in files:
            if not path.is_file() or SKIPPED_DIRS.intersection(path.relative_to(root).parts):
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for match in RULE_ID.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                cited.setdefault(match.group(0), f"{path.relative_to(root).as_posix()}:{line}")
    return cited


def find_reference(root: Path, given: str):
    if given:
        return Path(given)
    # ../shared/reference for the main checkout, further up for a worktree.
    for parent in root.resolve().parents:
        if (parent / REFERENCE_PATH).is_file():
            return parent / REFERENCE_PATH
    return None


def sort_key(rule: str):
    section, number = rule[2:].split(".")
    return int(section), int(number)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", default="", help="the behaviour contract (default: searched)")
    parser.add_argument("--without", default="", help="drop this rule from docs/contract.md as read")
    parser.add_argument("root")
    args = parser.parse_args()
    root = Path(args.root)
    contract = root / "docs" / "contract.md"
    if not contract.is_file():
        print(f"{contract} does not exist", file=sys.stderr)
        return 1
    documented, failures = documented_rules(contract.read_text(encoding="utf-8"), args.without)

    cited = cited_rules(root)
    for rule in sorted(set(cited) - documented, key=sort_key):
        failures.append(f"{cited[rule]}: cites {rule}, which docs/contract.md does not document")

    reference = find_reference(root, args.reference)
    if reference is not None and reference.is_file():
        rules = set(REFERENCE_RULE.findall(reference.read_text(encoding="utf-8")))
        for rule in sorted(rules - documented, key=sort_key):
            failures.append(f"{reference}: {rule} is not documented in docs/contract.md")
        for rule in sorted(documented - rules, key=sort_key):
            failures.append(f"docs/contract.md: {rule} is not a rule of {reference}")
        compared = f"and the {len(rules)} rules of {reference}"
    elif args.reference:
        failures.append(f"{args.reference} does not exist")
        compared = ""
    else:
        compared = "(behaviour contract not found: compared with the code only)"

    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"docs/contract.md documents {len(documented)} rules; checked the {len(cited)} ids cited in "
          f"{', '.join(SCANNED)} {compared}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
