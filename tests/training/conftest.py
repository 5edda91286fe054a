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

