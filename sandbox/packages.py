"""The packages model-written code may import, on every backend.

The steering prompts tell the TaskLLM to compute symbolically (sympy, z3, constraint
solvers) and the run_code tool promises figures, so the same set must import in the
local sandbox (the server's own interpreter: the ``solvers`` extra) and in the docker
image (``image/requirements.txt`` online, ``image/rootfs.sh`` offline). A test keeps
the three lists equal.
"""

from __future__ import annotations

import importlib.util

SOLVER_PACKAGES: dict[str, str] = {
    # import name -> distribution on PyPI
    "numpy": "numpy",
    "sympy": "sympy",
    "scipy": "scipy",
    "networkx": "networkx",
    "z3": "z3-solver",
    "constraint": "python-constraint",
    "matplotlib": "matplotlib",
}

INSTALL_HINT = "pip install 'mcp-codesteer[solvers]' (or scripts/setup.sh)"


def solver_listing() -> str:
    """The set in words, for tool descriptions and prompts."""
    return ", ".join(
        name if dist == name else f"{name} ({dist})" for name, dist in SOLVER_PACKAGES.items()
    )


def missing_locally() -> list[str]:
    """Distributions of the set that the server's interpreter (the local sandbox's) lacks."""
    return [dist for name, dist in SOLVER_PACKAGES.items() if importlib.util.find_spec(name) is None]
