"""Fixtures of the eval client's tests (helpers live in eval_fakes.py and eval_factories.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/eval/eval_fakes.py


@pytest.fixture
def symbench_dir() -> Path:
    from symbench.paths import default_data_dir

    found = default_data_dir()
    if found is None or not Path(found).is_dir():
        pytest.skip("SymBench data not found: set CODESTEER_SYMBENCH_DIR to the folder holding the datasets")
    return Path(found)
