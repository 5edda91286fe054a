"""Where the original SymBench data lives on this machine."""

from __future__ import annotations

import os
import re
from pathlib import Path

ENV_VAR = "CODESTEER_SYMBENCH_DIR"
"""Environment variable naming the folder that holds the original dataset folders."""

_REPO_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path | None:
    """The SymBench data folder: ``$CODESTEER_SYMBENCH_DIR`` if set, else ``<repo>/../shared/symbench``
    when it exists, else None (callers skip or ask for a directory)."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    beside_repo = _REPO_ROOT.parent / "shared" / "symbench"
    if beside_repo.is_dir():
        return beside_repo
    return None


_SAMPLE_FOLDER = re.compile(r"^sample_(\d+)$")


def sample_folders(root: Path) -> list[Path]:
    """The ``sample_<n>`` folders directly under ``root``, in numeric order.

    Numbers may have gaps (the shared copy holds some samples back); a missing ``root``
    gives an empty list.
    """
    if not root.is_dir():
        return []
    found = [(int(m.group(1)), child) for child in root.iterdir() if child.is_dir() and (m := _SAMPLE_FOLDER.match(child.name))]
    return [path for _, path in sorted(found)]


def paper_table_path(data_dir: Path | None = None) -> Path:
    """``paper_table1.csv`` of ``data_dir`` (default: ``default_data_dir()``).

    Raises FileNotFoundError naming the folder searched and how to point at another.
    """
    root = data_dir if data_dir is not None else default_data_dir()
    if root is None:
        raise FileNotFoundError(f"no SymBench data folder: set ${ENV_VAR} to the folder holding paper_table1.csv")
    path = Path(root) / "paper_table1.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: set ${ENV_VAR} to the folder holding paper_table1.csv")
    return path
