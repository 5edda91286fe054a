"""Fixtures: the tiny random Llama of tests/guide, built once per session; trajectory builders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TRAIN_EXTRA = "training needs the 'train' extra: pip install torch 'mcp-codesteer[hf,train]'"

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "guide"))
from tinymodel import build_tiny_model  # noqa: E402


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    for module in ("torch", "transformers", "trl", "peft"):
        pytest.importorskip(module, reason=TRAIN_EXTRA)
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "base")


@pytest.fixture
def symbench_dir() -> Path:
    from symbench.paths import default_data_dir

    found = default_data_dir()
    if found is None or not Path(found).is_dir():
        pytest.skip("SymBench data not found: set CODESTEER_SYMBENCH_DIR to the folder holding the datasets")
    return Path(found)
