"""Exit non-zero, with instructions, unless Odoo 18.0 is importable.

Standard library only: it must run on a bare interpreter that has no Odoo.
"""

import sys

HOW_TO = """\
Recouvrement needs Odoo 18.0 importable by this interpreter ({python}).

Provide it in one of these ways, then run the command again:
  * an existing Odoo 18.0 installation whose Python can `import odoo`;
  * Odoo 18.0's source tree installed with its requirements:
        pip install -r <odoo-18.0>/requirements.txt
        pip install --no-deps -e <odoo-18.0>
  * another interpreter that has it: PYTHON=/path/to/python3 make test
"""


def main():
    try:
        from odoo import release
    except ImportError as exc:
        problem = f"`import odoo` failed: {exc}"
    else:
        if release.version_info[:2] == (18, 0):
            return 0
        problem = f"found Odoo {release.version}, but Recouvrement targets 18.0"
    sys.stderr.write(f"ERROR: {problem}\n\n{HOW_TO.format(python=sys.executable)}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
