"""Fixtures of the eval client's tests (helpers live in eval_fakes.py and eval_factories.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # tests/eval/eval_fakes.py
