"""Shared fixtures: the bundled rules, the seed pages, and ../shared when it is beside the project."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.run.page import Cleaner, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """Tests (and the CLI processes they start) use a cache folder of their own, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        patch.delenv("CLEANER_CACHE", raising=False)
        yield


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner.load(Settings())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_crawl(root: Path, folders: int) -> Path:
    """The seeds copied into `folders` crawl folders (dedup has work), a third of the copies
    edited a little as recrawls are, and an empty page in each folder (a reject)."""
    for k in range(folders):
        folder = root / f"crawl{k:03d}"
        folder.mkdir()
        for seed in SEEDS.glob("*.txt"):
            text = seed.read_text(encoding="utf-8")
            if k % 3 == 0:
                text = text.replace("Lavrov said", "Lavrov told reporters")
            (folder / seed.name).write_text(text, encoding="utf-8")
        (folder / "empty.txt").write_bytes(b"")
    return root


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip saying why: CI and developers have it, a bare clone may not."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared holds the gold and the development set)")
    return path


def rendered_dumps(tmp_path_factory, name: str):
    """A development set's pages (../shared/data/NAME/*.html.gz) as whole-page text dumps,
    <key>.txt, rendered by ../shared/tools/render_dump.py."""
    data = need_shared("data", name)
    render = need_shared("tools", "render_dump.py")
    html_dir = tmp_path_factory.mktemp(f"{name}_html")
    for page in sorted(data.glob("*.html.gz")):
        (html_dir / page.name[: -len(".gz")]).write_bytes(gzip.decompress(page.read_bytes()))
    dumps = tmp_path_factory.mktemp(f"{name}_dumps")
    subprocess.run(
        [sys.executable, str(render), *map(str, sorted(html_dir.glob("*.html"))), "--out", str(dumps)],
        check=True,
    )
    return dumps


@pytest.fixture(scope="session")
def aeb_dumps(tmp_path_factory):
    return rendered_dumps(tmp_path_factory, "aeb")


@pytest.fixture(scope="session")
def aeb_html(tmp_path_factory):
    """The development set's pages decompressed as <id>.html, no URL given (as in the issue)."""
    data = need_shared("data", "aeb")
    html_dir = tmp_path_factory.mktemp("aeb_html_in")
    for page in sorted(data.glob("*.html.gz")):
        (html_dir / page.name[: -len(".gz")]).write_bytes(gzip.decompress(page.read_bytes()))
    return html_dir
