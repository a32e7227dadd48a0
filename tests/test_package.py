"""The package as a user installs it: a wheel built from the source tree carries the rules and
cleans the seeds like the editable install, from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from cleaner.run.runner import run
from cleaner.strip.rules import DEFAULT_RULES

from .conftest import ROOT, SEEDS


def test_the_bundled_rules_are_the_projects_rules_folder():
    """Editable install: importlib.resources finds rules/ itself, so an edit there counts at once."""
    assert DEFAULT_RULES.resolve() == (ROOT / "rules").resolve()


@pytest.mark.slow
def test_a_wheel_installed_in_a_fresh_venv_cleans_the_seeds_like_the_editable_install(tmp_path, cleaner):
    """Done-when 3 of issue 13. The wheel is built by pip from another folder (as `pip install
    PATH` does); the fresh venv gets the wheel alone, and this venv's dependencies through a
    .pth line (no download), which does not bring in the editable install's finder."""
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for rule_file in sorted(ROOT.glob("rules/**/*.toml")):
        assert f"cleaner/_rules/{rule_file.relative_to(ROOT / 'rules')}" in names

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    (Path(site) / "dependencies.pth").write_text(ours + "\n")
    installed = subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = subprocess.run(
        [python, "-c", "import cleaner; print(cleaner.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    assert where.startswith(site), where  # the wheel's package, not the source tree
    out = elsewhere / "out"
    proc = subprocess.run(
        [venv / "bin" / "cleaner", "clean", str(SEEDS), "--out", str(out), "--quiet"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cleaner"]["rules_dir"] == str(Path(site) / "cleaner" / "_rules")  # the wheel's copy
    run([SEEDS], tmp_path / "editable", cleaner)
    wheel_corpus = (out / "corpus.jsonl").read_bytes()
    assert wheel_corpus == (tmp_path / "editable" / "corpus.jsonl").read_bytes()
    assert wheel_corpus.count(b"\n") == 8
