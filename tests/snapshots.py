"""`make snapshots`: rewrite fixtures/expected/ from the current cleaner; review the diff before committing.

The seed snapshot is also held against the hand labels by tests/test_seeds.py, so a
snapshot that drifts from the gold cannot pass.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from cleaner.run.page import Cleaner, Settings
from cleaner.run.runner import run

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cleaner = Cleaner.load(Settings())
    for case in sorted((ROOT / "fixtures").iterdir()):
        if not case.is_dir() or case.name == "expected":
            continue
        target = ROOT / "fixtures" / "expected" / case.name
        with tempfile.TemporaryDirectory() as tmp:
            run([case], Path(tmp), cleaner)
            target.mkdir(parents=True, exist_ok=True)
            for name in ("corpus.jsonl", "rejects.jsonl", "duplicates.jsonl"):
                shutil.copyfile(Path(tmp) / name, target / name)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
