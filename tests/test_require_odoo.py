"""Without Odoo 18, the README commands stop at once with instructions: they never skip tests."""

import os
import subprocess
import sys
import venv

import pytest


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A Python with nothing installed: no Odoo."""
    target = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(target)
    return str(target / "bin" / "python")


@pytest.mark.parametrize("target", ["test", "demo"])
def test_make_target_fails_clearly_without_odoo(repo, bare_python, target):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PG"))}
    env["PYTHON"] = bare_python
    result = subprocess.run(
        ["make", "--no-print-directory", target],
        check=False,
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "`import odoo` failed" in result.stderr
    assert "Odoo 18.0" in result.stderr
    assert "passed" not in result.stdout  # it stopped before running anything


def test_require_odoo_accepts_this_interpreter(repo):
    script = os.path.join(repo, "scripts", "require_odoo.py")
    assert subprocess.run([sys.executable, script], check=False, timeout=60).returncode == 0
