"""Without Odoo 18, the README commands set it up in a virtual environment from ODOO_SOURCE; when
that source cannot be had they stop at once with instructions: they never skip tests.

Offline and fast: the source is a tiny fake Odoo 18.0 tree (odoo/release.py, setup.py, an empty
requirements.txt) built in a temporary folder, the interpreter a virtual environment without Odoo.
"""

import os
import subprocess
import sys
import tarfile
import venv

import pytest

RELEASE = 'version_info = ({major}, 0, 0, "final", 0, "")\nversion = "{major}.0"\n'


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A Python with nothing installed: no Odoo."""
    target = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(target)
    return str(target / "bin" / "python")


def fake_odoo(folder, major=18):
    """A source tree that passes for Odoo MAJOR.0: what the bootstrap reads and installs."""
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo" / "__init__.py").write_text("")
    (folder / "odoo" / "release.py").write_text(RELEASE.format(major=major))
    (folder / "setup.py").write_text('from setuptools import setup\nsetup(name="odoo")\n')
    (folder / "requirements.txt").write_text("")
    return folder


def listing(folder):
    """The files of FOLDER, but the bytecode Python caches when it imports them."""
    return sorted(
        str(path.relative_to(folder)) for path in folder.rglob("*") if "__pycache__" not in path.parts
    )


def run(repo, command, python, venv_dir, source, timeout=600):
    """COMMAND run with PYTHON, RECOUVREMENT_VENV and ODOO_SOURCE set (TIMEOUT: a guard against a
    hang, far above what a loaded machine needs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PG", "ODOO", "RECOUVREMENT"))}
    env.update(PYTHON=python, RECOUVREMENT_VENV=str(venv_dir), ODOO_SOURCE=str(source))
    return subprocess.run(
        command, check=False, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout
    )


# What scripts/test.sh and scripts/demo.sh do first, then the Python they go on with.
REQUIRE_THEN_IMPORT = (
    'source scripts/lib.sh && require_odoo && echo "PYTHON=$PYTHON"'
    ' && "$PYTHON" -c "import odoo.release as r; print(\'ODOO\', r.version_info[:2])"'
)
REQUIRE = ["bash", "-c", REQUIRE_THEN_IMPORT]


def assert_set_up(result, venv_dir):
    assert result.returncode == 0, result.stderr
    assert f"PYTHON={venv_dir}/bin/python" in result.stdout
    assert "ODOO (18, 0)" in result.stdout


def test_bootstrap_from_a_local_source_tree(repo, bare_python, tmp_path):
    source = fake_odoo(tmp_path / "odoo-18.0")
    before = listing(source)
    venv_dir = tmp_path / "venv"
    result = run(repo, REQUIRE, bare_python, venv_dir, source)
    assert_set_up(result, venv_dir)
    assert "setting it up" in result.stdout
    assert listing(source) == before, "the source tree is used in place, never written to"
    # The next command goes straight on with the venv: nothing set up again.
    again = run(repo, REQUIRE, bare_python, venv_dir, tmp_path / "gone")
    assert_set_up(again, venv_dir)
    assert "setting it up" not in again.stdout


def test_bootstrap_from_a_local_archive(repo, bare_python, tmp_path):
    tree = fake_odoo(tmp_path / "odoo-18.0")
    archive = tmp_path / "odoo-18.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tarred:
        tarred.add(tree, arcname="odoo-18.0")
    venv_dir = tmp_path / "venv"
    result = run(repo, REQUIRE, bare_python, venv_dir, archive)
    assert_set_up(result, venv_dir)
    assert (venv_dir / "src" / "odoo" / "odoo" / "release.py").is_file(), "extracted into the venv"


def test_bootstrap_refuses_another_version(repo, bare_python, tmp_path):
    source = fake_odoo(tmp_path / "odoo-17.0", major=17)
    result = run(repo, REQUIRE, bare_python, tmp_path / "venv", source)
    assert result.returncode != 0
    assert "is Odoo 17.0, but Recouvrement targets 18.0" in result.stderr
    assert "PYTHON=" not in result.stdout


def test_nothing_installed_when_python_has_odoo(repo, tmp_path):
    venv_dir = tmp_path / "venv"
    result = run(repo, REQUIRE, sys.executable, venv_dir, tmp_path / "gone")
    assert result.returncode == 0, result.stderr
    assert f"PYTHON={sys.executable}" in result.stdout
    assert not venv_dir.exists()


@pytest.mark.parametrize("target", ["test", "demo"])
@pytest.mark.parametrize("source", ["missing/odoo-18.0.tar.gz", "file:///nonexistent/odoo-18.0.tar.gz"])
def test_make_target_fails_clearly_when_the_source_is_unreachable(
    repo, bare_python, tmp_path, target, source
):
    source = source if "://" in source else tmp_path / source
    result = run(repo, ["make", "--no-print-directory", target], bare_python, tmp_path / "venv", source)
    assert result.returncode != 0
    assert "`import odoo` failed" in result.stderr
    assert "Odoo 18.0 could not be set up" in result.stderr
    assert "odoo-18.0.tar.gz" in result.stderr, "names the source it could not reach"
    assert "ODOO_SOURCE" in result.stderr, "says how to point at another source"
    assert "passed" not in result.stdout  # it stopped before running anything


def test_require_odoo_accepts_this_interpreter(repo):
    script = os.path.join(repo, "scripts", "require_odoo.py")
    assert subprocess.run([sys.executable, script], check=False, timeout=600).returncode == 0
