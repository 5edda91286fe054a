"""A global switch that forbids real model requests (network calls, loading weights).

The test suite turns it on (tests/conftest.py) so that a test which forgot to pass a
mock fails loudly instead of calling an API or loading a model; a test that means to
call a fake endpoint or a tiny local model turns it off for itself with
``allow_model_requests()``. Mock and function models are never affected.
"""

from __future__ import annotations

from .types import ModelError

_forbidden = False


class ModelRequestsForbidden(ModelError):
    """A real model was asked while model requests are forbidden."""


def set_model_requests_forbidden(forbidden: bool) -> None:
    """Forbid (True) or allow (False) real model requests from now on, process-wide."""
    global _forbidden
    _forbidden = forbidden


def model_requests_forbidden() -> bool:
    return _forbidden


class forbid_model_requests:  # noqa: N801 - used like a function
    """Forbid real model requests (``False``: allow them), at once and process-wide.

    Called plainly it is a setter (``forbid_model_requests()`` in a conftest); used as
    ``with forbid_model_requests():`` the previous state comes back after the block.
    """

    def __init__(self, forbidden: bool = True) -> None:
        global _forbidden
        self._before = _forbidden
        _forbidden = forbidden

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        global _forbidden
        _forbidden = self._before


def allow_model_requests() -> forbid_model_requests:
    """Allow real model requests inside the ``with`` block (tests of fake endpoints, tiny models)."""
    return forbid_model_requests(False)


def check_model_request_allowed(name: str) -> None:
    """Raise ModelRequestsForbidden when real requests are off; every real provider calls this first."""
    if _forbidden:
        raise ModelRequestsForbidden(
            f"{name}: real model requests are forbidden here (forbid_model_requests); "
            "pass a MockModel or FunctionModel, or wrap the call in allow_model_requests()"
        )
