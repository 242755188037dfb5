"""Check that every addon's fr.po uses the project's French terms (i18n/glossary.csv).

glossary.csv columns:
  en     English term; a msgid containing it (whole words, any case, plural 's' allowed) must have a
         msgstr containing one of the accepted French forms
  fr     accepted French forms, '|'-separated, the first one being the canonical term
  avoid  French words that must never stand for that term, '|'-separated

Usage: check_glossary.py [PO_FILE ...]   (default: every <addon>/i18n/fr.po)
"""

import csv
import glob
import os
import re
import sys
import unicodedata
from dataclasses import dataclass

import polib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLOSSARY = os.path.join(REPO, "i18n", "glossary.csv")


@dataclass(frozen=True)
class Term:
    en: str
    forms: tuple
    avoid: tuple

    @property
    def pattern(self):
        return re.compile(r"\b" + re.escape(self.en).replace(r"\ ", r"\s+") + r"s?\b", re.IGNORECASE)


def fold(text):
    """Lower-case, keep accents (they matter in French), normalise spaces and apostrophes."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).casefold()


def load_glossary(path=GLOSSARY):
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            Term(
                row["en"].strip(),
                tuple(f.strip() for f in row["fr"].split("|")),
                tuple(a.strip() for a in (row["avoid"] or "").split("|") if a.strip()),
            )
            for row in csv.DictReader(handle)
        ]


def check_po(po, glossary):
    """Return the problems of a polib.POFile (or a path) against the glossary, as strings."""
    po = polib.pofile(po) if isinstance(po, str) else po
    problems = []
    for entry in po.translated_entries():
        translation = fold(entry.msgstr)
        for term in glossary:
            if term.pattern.search(entry.msgid) and not any(fold(f) in translation for f in term.forms):
                problems.append(
                    f"{entry.msgid!r} -> {entry.msgstr!r}: '{term.en}' must read '{term.forms[0]}'"
                )
            for avoided in term.avoid:
                if re.search(r"\b" + re.escape(fold(avoided)) + r"\b", translation):
                    problems.append(f"{entry.msgstr!r}: '{avoided}' is not our word, use '{term.forms[0]}'")
    return problems


def main(argv=None):
    paths = (argv if argv is not None else sys.argv[1:]) or sorted(
        glob.glob(os.path.join(REPO, "*", "i18n", "fr.po"))
    )
    glossary = load_glossary()
    failed = False
    for path in paths:
        for problem in check_po(path, glossary):
            failed = True
            print(f"{os.path.relpath(path, REPO)}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
