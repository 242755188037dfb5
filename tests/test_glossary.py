"""The glossary check itself, then every addon's fr.po against the glossary."""

import glob
import os

import polib
import pytest
from check_glossary import Term, check_po, load_glossary

DUNNING = Term("dunning", ("relance",), ("rappel de paiement",))
FORMAL_NOTICE = Term("formal notice", ("mise en demeure", "mises en demeure"), ("avis formel",))


def po_with(*pairs):
    po = polib.POFile()
    for msgid, msgstr in pairs:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return po


def test_accepts_the_glossary_term_in_any_case_and_inflection():
    po = po_with(("Dunning levels", "Niveaux de relance"), ("Formal notices", "Mises en demeure"))
    assert check_po(po, [DUNNING, FORMAL_NOTICE]) == []


def test_rejects_another_french_term():
    problems = check_po(po_with(("Dunning level", "Niveau de rappel")), [DUNNING])
    assert len(problems) == 1
    assert "'dunning' must read 'relance'" in problems[0]


def test_rejects_an_avoided_word_even_next_to_the_right_one():
    problems = check_po(po_with(("Send the dunning", "Envoyer la relance (rappel de paiement)")), [DUNNING])
    assert problems == [
        "'Envoyer la relance (rappel de paiement)': 'rappel de paiement' is not our word, use 'relance'"
    ]


def test_matches_whole_words_and_multiword_terms_only():
    po = po_with(
        ("Dunningham Ltd", "Dunningham Ltd"), ("Send a formal\nnotice", "Envoyer une mise en demeure")
    )
    assert check_po(po, [DUNNING, FORMAL_NOTICE]) == []
    assert check_po(po_with(("Formal  notice", "Avis formel")), [FORMAL_NOTICE])


def test_untranslated_entries_are_left_to_the_translation_check():
    assert check_po(po_with(("Dunning", "")), [DUNNING]) == []


def test_glossary_file_is_well_formed():
    glossary = load_glossary()
    assert len(glossary) >= 15
    assert {"dunning", "formal notice", "promise to pay", "payment plan", "exposure"} <= {
        t.en for t in glossary
    }
    assert all(t.forms and t.forms[0] for t in glossary)


@pytest.mark.parametrize(
    "po_path", sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "*", "i18n", "fr.po")))
)
def test_addon_translations_follow_the_glossary(po_path):
    assert check_po(os.path.abspath(po_path), load_glossary()) == []
