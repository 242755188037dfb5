"""Set up Odoo 18.0 in the project's virtual environment, for `make test` and `make demo` on a
machine whose Python has no Odoo (scripts/lib.sh calls it, README "Commands").

Standard library only: it runs on the bare interpreter that lacks Odoo, and creates the virtual
environment from it. Two steps, so that the shell can install Debian build packages in between:

    bootstrap_odoo.py fetch VENV     get the source named by ODOO_SOURCE into VENV/src (or use a
                                     local folder in place), check it is Odoo 18.0; print the
                                     source folder, then the Debian packages its requirements need
    bootstrap_odoo.py install VENV SOURCE
                                     create VENV (with pip), put SOURCE on its path, install
                                     SOURCE/requirements.txt (the test tools come next, from
                                     scripts/test.sh, with the venv's Python)

ODOO_SOURCE (default: the official 18.0 source archive on GitHub) is an archive (http(s) URL or a
local .tar.gz/.tgz/.zip), a local folder (a source tree or a git checkout, used in place and never
written to) or a git URL (*.git, git+..., git@...: cloned with --depth 1, branch ODOO_BRANCH,
default 18.0). When the source cannot be had, it prints why with require_odoo's instructions and
exits 2: the commands never skip.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import venv
import zipfile

from require_odoo import HOW_TO

OFFICIAL_SOURCE = "https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz"
PTH_NAME = "odoo-source.pth"
# Old packages among Odoo's pinned requirements import pkg_resources, gone from setuptools 70.
CONSTRAINTS = "setuptools<70\n"
# Requirements built from source, and the Debian packages their build needs.
BUILD_PACKAGES = {
    "python-ldap": ["libldap2-dev", "libsasl2-dev"],
    "psycopg2": ["libpq-dev"],
}
COMPILER_PACKAGES = ["build-essential", "python3-dev"]


class SourceError(Exception):
    pass


def stop(reason):
    """The message of require_odoo.py (never skip), with the reason the set-up failed."""
    sys.stderr.write(
        f"ERROR: `import odoo` failed and Odoo 18.0 could not be set up: {reason}\n\n"
        + HOW_TO.format(python=sys.executable)
    )
    sys.exit(2)


# ----------------------------------------------------------------------
# Getting the source
# ----------------------------------------------------------------------


def source_kind(source):
    if re.match(r"^(git\+|git@|ssh://)", source) or source.endswith(".git"):
        return "git"
    if re.match(r"^(https?|ftp|file)://", source):
        return "url"
    if os.path.isdir(source):
        return "folder"
    if os.path.isfile(source):
        return "archive"
    raise SourceError(f"ODOO_SOURCE={source}: no such file or folder")


def download(url, target):
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
            shutil.copyfileobj(response, out)
    except (OSError, ValueError) as exc:  # URLError and timeouts are OSErrors
        if os.path.exists(target):
            os.remove(target)
        raise SourceError(f"cannot download {url}: {exc}") from exc


def extract(archive, target):
    """Extract ARCHIVE into TARGET, without the single top folder archives usually have."""
    scratch = tempfile.mkdtemp(dir=os.path.dirname(target))
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(scratch)
        else:
            with tarfile.open(archive) as tarred:
                if hasattr(tarfile, "data_filter"):
                    tarred.extractall(scratch, filter="data")
                else:  # Python < 3.11.4: members checked by hand
                    for member in tarred.getmembers():
                        if member.name.startswith("/") or ".." in member.name.split("/"):
                            raise SourceError(f"{archive}: unsafe path {member.name}")
                    tarred.extractall(scratch)
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise SourceError(f"cannot extract {archive}: {exc}") from exc
    entries = os.listdir(scratch)
    top = os.path.join(scratch, entries[0]) if len(entries) == 1 else scratch
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(top, target)
    shutil.rmtree(scratch, ignore_errors=True)


def fetch(source, src_dir):
    """The folder holding Odoo's source named by SOURCE, fetched into SRC_DIR when remote."""
    kind = source_kind(source)
    if kind == "folder":
        return os.path.abspath(source)
    os.makedirs(src_dir, exist_ok=True)
    target = os.path.join(src_dir, "odoo")
    if kind == "git":
        if not shutil.which("git"):
            raise SourceError(f"git is needed to clone {source}")
        shutil.rmtree(target, ignore_errors=True)
        branch = os.environ.get("ODOO_BRANCH", "18.0")
        url = source.removeprefix("git+")
        clone = ["git", "clone", "--quiet", "--depth", "1", "--branch", branch, url, target]
        if subprocess.run(clone, check=False).returncode:
            raise SourceError(f"cannot clone {url} (branch {branch})")
        return target
    archive = source
    if kind == "url":
        archive = os.path.join(src_dir, "odoo-source.download")
        print(f"Downloading {source}", file=sys.stderr, flush=True)
        download(source, archive)
    extract(archive, target)
    if kind == "url":
        os.remove(archive)
    return target


def odoo_version(folder):
    """version_info of the Odoo source in FOLDER, read from odoo/release.py without importing it."""
    path = os.path.join(folder, "odoo", "release.py")
    try:
        with open(path, encoding="utf-8") as release:
            text = release.read()
    except OSError as exc:
        raise SourceError(f"{folder} is not an Odoo source tree (no odoo/release.py)") from exc
    found = re.search(r"^version_info\s*=\s*\((\d+),\s*(\d+)", text, re.MULTILINE)
    if not found:
        raise SourceError(f"{path}: no version_info")
    return int(found[1]), int(found[2])


def build_packages(folder):
    """Debian packages needed to build the requirements of the Odoo source in FOLDER."""
    path = os.path.join(folder, "requirements.txt")
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8") as requirements:
        names = {re.split(r"[\s=<>!~;\[]", line.strip(), maxsplit=1)[0].lower() for line in requirements}
    packages = [pkg for name, pkgs in BUILD_PACKAGES.items() if name in names for pkg in pkgs]
    return COMPILER_PACKAGES + packages if packages else []


def cmd_fetch(venv_dir):
    source = os.environ.get("ODOO_SOURCE") or OFFICIAL_SOURCE
    try:
        folder = fetch(source, os.path.join(venv_dir, "src"))
        version = odoo_version(folder)
    except SourceError as exc:
        stop(str(exc))
    if version != (18, 0):
        stop(f"{source} is Odoo {version[0]}.{version[1]}, but Recouvrement targets 18.0")
    packages = build_packages(folder)
    if importlib.util.find_spec("ensurepip") is None:  # Debian's Python: venv without pip
        packages.append("python3-venv")
    print(folder)
    print(" ".join(packages))


# ----------------------------------------------------------------------
# Installing
# ----------------------------------------------------------------------


def venv_python(venv_dir):
    return os.path.join(venv_dir, "bin", "python")


def site_packages(python):
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def pip_install(python, *args):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
        constraints.write(CONSTRAINTS)
    env = dict(os.environ, PIP_CONSTRAINT=constraints.name, PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        command = [python, "-m", "pip", "install", "--quiet", *args]
        if subprocess.run(command, check=False, env=env).returncode:
            stop(f"pip install {' '.join(args)} failed in {os.path.dirname(os.path.dirname(python))}")
    finally:
        os.remove(constraints.name)


def cmd_install(venv_dir, folder):
    python = venv_python(venv_dir)
    if not os.path.exists(python):
        print(f"Creating the virtual environment {venv_dir}", file=sys.stderr, flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(venv_dir)
        except (OSError, subprocess.CalledProcessError) as exc:
            stop(f"cannot create the virtual environment {venv_dir} ({exc}; Debian: install python3-venv)")
    # Odoo on the venv's path as pip's editable install would put it, without writing into the
    # source folder (a local tree or checkout stays untouched); `python -m odoo` runs it.
    with open(os.path.join(site_packages(python), PTH_NAME), "w", encoding="utf-8") as pth:
        pth.write(folder + "\n")
    requirements = os.path.join(folder, "requirements.txt")
    if os.path.isfile(requirements):
        print(f"Installing Odoo's requirements ({requirements})", file=sys.stderr, flush=True)
        pip_install(python, "-r", requirements)


def main(argv):
    if len(argv) == 2 and argv[0] == "fetch":
        cmd_fetch(os.path.abspath(argv[1]))
    elif len(argv) == 3 and argv[0] == "install":
        cmd_install(os.path.abspath(argv[1]), os.path.abspath(argv[2]))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
