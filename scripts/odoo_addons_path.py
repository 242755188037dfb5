"""Print the addons path for the current Odoo plus this repository."""

import os
import sys

import odoo

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    odoo_dir = os.path.dirname(os.path.abspath(odoo.__file__))
    candidates = [
        os.path.join(odoo_dir, "addons"),  # packaged Odoo: every addon lives here
        os.path.normpath(os.path.join(odoo_dir, "..", "addons")),  # source tree
    ]
    paths = [p for p in candidates if os.path.isdir(os.path.join(p, "account"))]
    if not paths:
        sys.exit("ERROR: Odoo is importable but its 'account' addon was not found.")
    print(",".join([*paths, REPO]))


if __name__ == "__main__":
    main()
