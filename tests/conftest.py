"""Shared test set-up: no model hub, no real model requests, anyio on asyncio."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).parent))  # tests/fake_openai.py, the suite's one fake OpenAI server

from guide.chat import allow_model_requests, forbid_model_requests  # noqa: E402

# A test that forgot its mock fails instead of calling an API or loading weights; tests of
# real providers against a fake endpoint or a tiny local model ask for `real_model_requests`.
forbid_model_requests()


@pytest.fixture
def real_model_requests():
    with allow_model_requests():
        yield


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def symbench_dir() -> Path:
    """The SymBench data folder; skips with how to point at it where it is absent."""
    from symbench.paths import default_data_dir

    found = default_data_dir()
    if found is None or not Path(found).is_dir():
        pytest.skip("SymBench data not found: set CODESTEER_SYMBENCH_DIR to the folder holding the datasets")
    return Path(found)
