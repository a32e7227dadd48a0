"""The Dask engine on a LocalCluster gives the local engine's bytes."""

from __future__ import annotations

import shutil

import pytest

from cleaner.run.engine import RunOptions
from cleaner.run.runner import run

from .conftest import SEEDS

pytest.importorskip("dask.distributed")


def test_dask_and_local_engines_give_identical_outputs(aeb_dumps, tmp_path, cleaner):
    """The development set's dumps plus the seeds, twice over so dedup has copies to link."""
    pages = tmp_path / "pages"
    shutil.copytree(aeb_dumps, pages / "dumps")
    shutil.copytree(SEEDS, pages / "seeds")
    shutil.copytree(SEEDS, pages / "seeds-recrawl")
    run([pages], tmp_path / "local", cleaner, RunOptions(workers=2))
    run([pages], tmp_path / "dask", cleaner, RunOptions(workers=2, engine="dask"))
    for name in ("corpus.jsonl", "duplicates.jsonl", "rejects.jsonl", "stats.json"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    assert (tmp_path / "dask" / "duplicates.jsonl").read_text().count("\n") >= 8
