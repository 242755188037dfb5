"""Keep each addon's i18n/<addon>.pot and i18n/fr.po in sync with the code.

    i18n.py update -c ODOO_RC -d DB   regenerate the .pot files with Odoo's exporter, merge fr.po
    i18n.py check  -c ODOO_RC -d DB   fail if a .pot is stale, or fr.po has untranslated/fuzzy entries

DB must have the addons installed (the test command's database does).
"""

import argparse
import io
import os
import sys

import polib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = (
    "recouvrement_credit",
    "recouvrement_portal",
    "recouvrement_legal",
    "recouvrement_credit_stock",
    "recouvrement_credit_dashboard",
    "recouvrement_legal_portal",
    "recouvrement_credit_queue",
)


def export_pot(config_file, database):
    """Return {addon: polib.POFile} exported by Odoo from DATABASE."""
    import odoo
    from odoo.tools.translate import trans_export

    odoo.tools.config.parse_config(["-c", config_file, "-d", database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    pots = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for addon in ADDONS:
            buffer = io.BytesIO()
            trans_export(None, [addon], buffer, "po", cr)
            pots[addon] = polib.pofile(buffer.getvalue().decode("utf-8"))
            add_demo_terms(env, addon, pots[addon])
    return pots


def add_demo_terms(env, addon, pot):
    """Odoo exports the terms of the records in the database, and ours has no demo data: add those
    of the records of the addon's demo XML files (plain translatable fields), as Odoo would."""
    from lxml import etree

    from odoo.modules.module import get_manifest

    by_msgid = {entry.msgid: entry for entry in pot}
    for filename in get_manifest(addon).get("demo", []):
        if not filename.endswith(".xml"):
            continue
        for record in etree.parse(os.path.join(REPO, addon, filename)).iterfind(".//record"):
            model, xmlid = env[record.get("model")], record.get("id")
            xmlid = xmlid if "." in xmlid else f"{addon}.{xmlid}"
            for node in record.iterfind("field"):
                field = model._fields.get(node.get("name"))
                if field is None or field.translate is not True or not (node.text or "").strip():
                    continue
                occurrence = (f"model:{model._name},{field.name}:{xmlid}", "")
                entry = by_msgid.get(node.text)
                if entry is None:
                    entry = by_msgid[node.text] = polib.POEntry(msgid=node.text, msgstr="")
                    entry.comment = f"module: {addon}"
                    pot.append(entry)
                if occurrence not in entry.occurrences:
                    entry.occurrences.append(occurrence)
                    entry.occurrences.sort()
    pot[:] = sorted(pot, key=lambda entry: entry.msgid)


def keys(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def paths(addon):
    folder = os.path.join(REPO, addon, "i18n")
    return folder, os.path.join(folder, f"{addon}.pot"), os.path.join(folder, "fr.po")


def entries(po):
    return [(e.msgctxt, e.msgid, e.occurrences, e.comment) for e in po if not e.obsolete]


def update(pots):
    for addon, pot in pots.items():
        folder, pot_path, fr_path = paths(addon)
        if os.path.exists(pot_path) and entries(polib.pofile(pot_path)) == entries(pot):
            print(f"{addon}: no change")  # leave the files (and their dates) alone
            continue
        os.makedirs(folder, exist_ok=True)
        pot.save(pot_path)
        french = polib.pofile(fr_path) if os.path.exists(fr_path) else polib.POFile()
        french.metadata = {**pot.metadata, "Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"}
        french.merge(pot)
        for entry in french.obsolete_entries():
            french.remove(entry)
        order = {(entry.msgctxt, entry.msgid): index for index, entry in enumerate(pot)}
        french.sort(key=lambda entry: order[(entry.msgctxt, entry.msgid)])
        french.save(fr_path)
        todo = len(french.untranslated_entries()) + len(french.fuzzy_entries())
        print(f"{addon}: {len(pot)} terms, {todo} to translate in fr.po")


def check(pots):
    problems = []
    for addon, exported in pots.items():
        _folder, pot_path, fr_path = paths(addon)
        if not os.path.exists(pot_path) or not os.path.exists(fr_path):
            problems.append(f"{addon}: missing i18n/{addon}.pot or i18n/fr.po")
            continue
        pot, french = polib.pofile(pot_path), polib.pofile(fr_path)
        for label, missing in (
            ("not in the .pot", keys(exported) - keys(pot)),
            ("in the .pot but no longer in the code", keys(pot) - keys(exported)),
            ("in the .pot but not in fr.po", keys(pot) - keys(french)),
        ):
            problems += [f"{addon}: {label}: {msgid!r}" for _ctx, msgid in sorted(missing, key=str)]
        problems += [f"{addon}: fr.po untranslated: {e.msgid!r}" for e in french.untranslated_entries()]
        problems += [f"{addon}: fr.po fuzzy: {e.msgid!r}" for e in french.fuzzy_entries()]
    for problem in problems:
        print(problem)
    if problems:
        print("Run `make i18n` to regenerate the .pot files and merge fr.po, then translate.")
    return 1 if problems else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=("update", "check"))
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args(argv)
    pots = export_pot(args.config, args.database)
    if args.action == "update":
        update(pots)
        return 0
    return check(pots)


if __name__ == "__main__":
    sys.exit(main())
