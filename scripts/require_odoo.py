"""Exit non-zero, with instructions, unless Odoo 18.0 is importable.

Standard library only: it must run on a bare interpreter that has no Odoo. With --quiet it only
answers by its exit status (scripts/lib.sh then sets Odoo up, see bootstrap_odoo.py).
"""

import sys

HOW_TO = """\
Recouvrement needs Odoo 18.0 importable by this interpreter ({python}).

`make test` and `make demo` set it up themselves in the project's virtual environment (.venv)
from Odoo's official 18.0 source archive, or from ODOO_SOURCE: another archive (URL or local
.tar.gz), a local source folder or git checkout, or a git URL. Fix what stopped that, or
provide Odoo in one of these ways, then run the command again:
  * ODOO_SOURCE=/path/to/odoo-18.0 make test  (a source tree or checkout you already have);
  * an existing Odoo 18.0 installation whose Python can `import odoo`;
  * Odoo 18.0's source tree installed with its requirements:
        pip install -r <odoo-18.0>/requirements.txt
        pip install --no-deps -e <odoo-18.0>
  * another interpreter that has it: PYTHON=/path/to/python3 make test
"""


def main(argv=()):
    try:
        from odoo import release
    except ImportError as exc:
        problem = f"`import odoo` failed: {exc}"
    else:
        if release.version_info[:2] == (18, 0):
            return 0
        problem = f"found Odoo {release.version}, but Recouvrement targets 18.0"
    if "--quiet" not in argv:
        sys.stderr.write(f"ERROR: {problem}\n\n{HOW_TO.format(python=sys.executable)}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
