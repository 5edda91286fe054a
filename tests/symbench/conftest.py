"""Shared SymBench test set-up: the stored samples of the task a test module is about."""

import pytest

from symbench.paths import default_data_dir


@pytest.fixture(scope="module")
def samples(request):
    """Every stored sample of the test module's ``TASK`` (its first data folder); skips with how
    to point at the data when that folder is absent. A module defines its own ``samples`` where
    its data is laid out otherwise."""
    task = request.module.TASK
    data = default_data_dir()
    folder = task.data_dirs[0]
    if data is None or not (data / folder).is_dir():
        pytest.skip(f"SymBench data folder with {folder} not found (set CODESTEER_SYMBENCH_DIR)")
    return task.load(data)
