"""The packages the prompts promise: one set, installed locally and built into the image."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from sandbox.local import LocalSandbox
from sandbox.packages import SOLVER_PACKAGES

ROOT = Path(__file__).resolve().parents[2]
IMAGE = ROOT / "sandbox" / "image"


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~ \[]", line.strip(), maxsplit=1)[0].lower() for line in requirements if line.strip()}


def test_the_solvers_extra_and_the_image_requirements_hold_the_same_packages_as_sandbox_packages():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["solvers"]
    image = [line for line in (IMAGE / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert _names(extra) == set(SOLVER_PACKAGES.values())
    assert _names(image) == set(SOLVER_PACKAGES.values())


def test_the_offline_image_recipe_installs_every_package_and_the_build_imports_each():
    rootfs = (IMAGE / "rootfs.sh").read_text()
    debian = re.search(r"^packages=(\S+)", rootfs, re.M).group(1).split(",")
    pypi = re.search(r'^pypi_packages="([^"]+)"', rootfs, re.M).group(1).split()
    covered = {p.removeprefix("python3-") for p in debian} | _names(pypi)
    for module, dist in SOLVER_PACKAGES.items():
        assert module in covered or dist in covered, f"rootfs.sh installs neither {module} nor {dist}"
    build_check = re.search(r'python3 -c "import ([^"]+)"', (IMAGE / "Dockerfile").read_text()).group(1)
    imported = {m.strip().split(".")[0] for m in build_check.split(",")}
    assert set(SOLVER_PACKAGES) <= imported


@pytest.mark.anyio
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")
async def test_every_promised_package_imports_in_the_local_sandbox_and_z3_solves():
    box = LocalSandbox()
    await box.start()
    assert box.describe()["packages"]["missing"] == []
    code = (
        "import importlib\n"
        f"for name in {sorted(SOLVER_PACKAGES)!r}:\n"
        "    importlib.import_module(name)\n"
        "import z3\n"
        "x = z3.Int('x')\n"
        "s = z3.Solver()\n"
        "s.add(x * x == 49, x > 0)\n"
        "assert s.check() == z3.sat\n"
        "from constraint import Problem\n"
        "p = Problem()\n"
        "p.addVariables('ab', range(4))\n"
        "p.addConstraint(lambda a, b: a + b == 5 and a < b, 'ab')\n"
        "print(s.model()[x], sorted(sorted(d.items()) for d in p.getSolutions()))\n"
    )
    result = await box.run(code, timeout_s=60)
    assert result.ok, result.summary()
    assert result.stdout.strip() == "7 [[('a', 2), ('b', 3)]]"
