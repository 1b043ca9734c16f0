#!/usr/bin/env python3
# Validates IATI 2.03 activity XML against the official 2.03 schema
# (iati-activities-schema.xsd with iati-common.xsd and xml.xsd), and the
# codes the export uses against the 2.03 codelists.
#
# Setup (Python 3.11; pinned):
#   python3 -m pip install -q lxml==6.1.3
#   python3 -m pip install -q --no-deps pyiati==0.4.1
# pyiati (MIT, by the IATI Technical Team) ships the IATI schemas and
# codelists for every version, 2.03 included, as package data; only those
# files are used, never the package's code. --no-deps because its pins
# (lxml 4.2.4, PyYAML 3.13, …) predate Python 3.11 and are not needed here.
#
# Use (from the repository root):
#   cargo run -q -p coalesce-exchange --example iati_sample > /tmp/x.xml && python3 tests/iati/validate.py /tmp/x.xml
#   python3 tests/iati/validate.py --self-test /tmp/x.xml
# The second checks that the check can fail: the file must pass, and broken
# copies of it (elements out of schema order, a required element removed,
# a bad date, a foreign element without a namespace, an unknown code) must
# each be refused.
#
# Exit status: 0 valid, 1 invalid (the errors on stderr), 2 set-up problem.
import argparse
import copy
import importlib.util
import pathlib
import re
import sys

try:
    from lxml import etree
except ImportError:
    sys.exit("lxml is missing: python3 -m pip install lxml==6.1.3")


def schema_dir(explicit):
    if explicit:
        return pathlib.Path(explicit)
    # Locate the installed package without importing it (its own imports
    # need the dependencies that --no-deps left out).
    spec = importlib.util.find_spec("iati")
    if spec is None or not spec.submodule_search_locations:
        sys.stderr.write(
            "the IATI schemas are missing: python3 -m pip install --no-deps pyiati==0.4.1\n"
        )
        sys.exit(2)
    return pathlib.Path(list(spec.submodule_search_locations)[0]) / "resources" / "standard" / "2-03"


def load_schema(base):
    xsd = base / "schemas" / "iati-activities-schema.xsd"
    if not xsd.is_file():
        sys.stderr.write(f"no 2.03 activity schema at {xsd}\n")
        sys.exit(2)
    return etree.XMLSchema(etree.parse(str(xsd)))


def codelist(base, name):
    text = (base / "codelists" / f"{name}.xml").read_text(encoding="utf-8")
    return set(re.findall(r"<code>([^<]+)</code>", text))


# (XPath of attributes, codelist) — the codes this export writes. The XSD
# types them all as plain strings, so without this a wrong code passes.
CODED = [
    ("//reporting-org/@type", "OrganisationType"),
    ("//participating-org/@type", "OrganisationType"),
    ("//receiver-org/@type", "OrganisationType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//iati-activity/description/@type", "DescriptionType"),
    ("//activity-status/@code", "ActivityStatus"),
    ("//activity-date/@type", "ActivityDateType"),
    ("//recipient-country/@code", "Country"),
    ("//location-reach/@code", "GeographicLocationReach"),
    ("//administrative/@vocabulary", "GeographicVocabulary"),
    ("//exactness/@code", "GeographicExactness"),
    ("//location-class/@code", "GeographicLocationClass"),
    ("//iati-activity/sector/@vocabulary", "SectorVocabulary"),
    ("//transaction-type/@code", "TransactionType"),
    ("//iati-activity/@default-currency", "Currency"),
    ("//value/@currency", "Currency"),
]


def check(doc, schema, base):
    """Every problem with `doc` (an lxml tree), as strings."""
    errors = []
    if not schema.validate(doc):
        errors += [f"line {e.line}: {e.message}" for e in schema.error_log]
    for xpath, name in CODED:
        allowed = codelist(base, name)
        for value in doc.xpath(xpath):
            if value not in allowed:
                line = value.getparent().sourceline
                errors.append(f"line {line}: {xpath} = {value!r} is not in the {name} codelist")
    # Shares of one sector vocabulary, and of recipient countries, add up to 100.
    for act in doc.xpath("//iati-activity"):
        for vocab in set(act.xpath("sector/@vocabulary")):
            total = sum(float(p) for p in act.xpath(f"sector[@vocabulary='{vocab}']/@percentage"))
            if abs(total - 100) > 1e-9:
                errors.append(f"line {act.sourceline}: sector vocabulary {vocab} percentages add up to {total}")
        shares = act.xpath("recipient-country/@percentage")
        if shares and abs(sum(float(p) for p in shares) - 100) > 1e-9:
            errors.append(f"line {act.sourceline}: recipient-country percentages do not add up to 100")
    return errors


def broken_copies(doc):
    """(what, tree) pairs that must each fail."""
    def first_activity(tree):
        return tree.xpath("//iati-activity")[0]

    out = []
    t = copy.deepcopy(doc)
    act = first_activity(t)
    title = act.find("title")
    act.remove(title)
    act.insert(list(act).index(act.find("reporting-org")), title)
    out.append(("title before reporting-org (schema order)", t))

    t = copy.deepcopy(doc)
    act = first_activity(t)
    for d in act.findall("activity-date"):
        act.remove(d)
    out.append(("no activity-date (required)", t))

    t = copy.deepcopy(doc)
    t.xpath("//transaction/value")[0].set("value-date", "01/09/2014")
    out.append(("value-date not an xsd:date", t))

    t = copy.deepcopy(doc)
    act = first_activity(t)
    etree.SubElement(act, "marking").text = "TLP:GREEN"
    out.append(("a foreign element without a namespace", t))

    t = copy.deepcopy(doc)
    first_activity(t).find("activity-status").set("code", "9")
    out.append(("activity-status code 9 (not in the codelist)", t))

    t = copy.deepcopy(doc)
    first_activity(t).find("recipient-country").set("code", "IRQ")
    out.append(("recipient-country in alpha-3", t))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+", help="IATI activity XML files")
    ap.add_argument("--schemas", help="the 2-03 folder of the standard (schemas/ and codelists/ in it)")
    ap.add_argument("--self-test", action="store_true",
                    help="also check that broken copies of each file are refused")
    args = ap.parse_args()
    base = schema_dir(args.schemas)
    schema = load_schema(base)
    failed = False
    for f in args.files:
        try:
            doc = etree.parse(f)
        except (OSError, etree.XMLSyntaxError) as e:
            print(f"{f}: not well-formed XML: {e}", file=sys.stderr)
            failed = True
            continue
        errors = check(doc, schema, base)
        n = len(doc.xpath("//iati-activity"))
        if errors:
            failed = True
            print(f"{f}: INVALID against IATI 2.03 ({len(errors)} problems)", file=sys.stderr)
            for e in errors:
                print(f"  {e}", file=sys.stderr)
        else:
            print(f"{f}: valid IATI 2.03 ({n} activities)")
        if args.self_test and not errors:
            for what, tree in broken_copies(doc):
                problems = check(tree, schema, base)
                if problems:
                    print(f"  refused as expected: {what} ({problems[0]})")
                else:
                    failed = True
                    print(f"{f}: self-test FAILED: a copy with {what} passed", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
