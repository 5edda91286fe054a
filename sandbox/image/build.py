"""Build the sandbox image, online from the official Python image or offline from a
Debian root filesystem made by debootstrap, and skip the build when an image with the
same recipe already exists.

The recipe is every file of this folder that shapes the image (the Dockerfiles, the
package lists, rootfs.sh and the in-container runtime); its hash is stored as a label
of the image, so a changed recipe is rebuilt and an unchanged one never is.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

IMAGE_DIR = Path(__file__).resolve().parent
IMAGE_REPO = "mcp-codesteer-sandbox"
RECIPE_LABEL = "io.mcp-codesteer.recipe"
ONLINE_BASE = "python:3.11-slim"
RECIPE_FILES = ("Dockerfile", "base.Dockerfile", "requirements.txt", "rootfs.sh", ".dockerignore")
OFFLINE_ENV = "CODESTEER_SANDBOX_OFFLINE"


class BuildOutcome(BaseModel):
    tag: str
    recipe: str
    how: Literal["cached", "online", "offline"]


def default_image_tag() -> str:
    """mcp-codesteer-sandbox:<package version> (a '+' of a local version becomes '-')."""
    try:
        ver = version("mcp-codesteer")
    except PackageNotFoundError:
        ver = "0.0.0-source"
    return f"{IMAGE_REPO}:{ver.replace('+', '-')}"


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(IMAGE_DIR)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _runtime_files() -> list[Path]:
    return [p for p in (IMAGE_DIR / "runtime").rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def recipe_hash() -> str:
    """Hash of everything that shapes the image."""
    return _hash_files([IMAGE_DIR / name for name in RECIPE_FILES] + _runtime_files())


def image_recipe_state(client, tag: str) -> Literal["missing", "stale", "current"]:
    """Whether ``tag`` exists, and whether it was built from the recipe in this tree."""
    import docker.errors

    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        return "missing"
    labels = (image.attrs.get("Config") or {}).get("Labels") or {}
    return "current" if labels.get(RECIPE_LABEL) == recipe_hash() else "stale"


def _stream_build(client, log: Callable[[str], None], **kwargs) -> None:
    """Run one legacy-builder build, passing its output to ``log``; raise on failure."""
    for chunk in client.api.build(decode=True, rm=True, forcerm=True, **kwargs):
        if "error" in chunk:
            raise RuntimeError(f"docker build failed: {chunk['error'].strip()}")
        text = chunk.get("stream", "").rstrip()
        if text:
            log(text)


def _image_exists(client, tag: str) -> bool:
    import docker.errors

    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def _online_base(client, log: Callable[[str], None]) -> str | None:
    """The online base image's tag, or None when Docker Hub cannot be reached."""
    import docker.errors

    tag = f"{IMAGE_REPO}-base:online-{_hash_files([IMAGE_DIR / 'base.Dockerfile', IMAGE_DIR / 'requirements.txt'])[:12]}"
    if _image_exists(client, tag):
        return tag
    if not _image_exists(client, ONLINE_BASE):
        try:
            log(f"pulling {ONLINE_BASE}")
            client.images.pull(ONLINE_BASE)
        except docker.errors.APIError as exc:
            log(f"Docker Hub is not reachable ({str(exc).splitlines()[0][:200]}); building offline")
            return None
    _stream_build(client, log, path=str(IMAGE_DIR), dockerfile="base.Dockerfile", tag=tag)
    return tag


def _pip_python() -> str:
    """An interpreter with pip, for the one package rootfs.sh takes from PyPI (a uv-made
    venv has no pip; the system's python3 then serves)."""
    import importlib.util

    return sys.executable if importlib.util.find_spec("pip") is not None else "python3"


def _offline_base(client, log: Callable[[str], None]) -> str:
    """The debootstrap base image's tag, building and importing it when missing."""
    tag = f"{IMAGE_REPO}-base:debian-{_hash_files([IMAGE_DIR / 'rootfs.sh'])[:12]}"
    if _image_exists(client, tag):
        return tag
    if shutil.which("debootstrap") is None:
        raise RuntimeError(
            "the offline build needs debootstrap: apt-get install -y debootstrap (or run .ci/docker-setup.sh)"
        )
    if os.geteuid() != 0:
        raise RuntimeError("the offline build runs debootstrap, which needs root: run it as root (sudo)")
    with tempfile.TemporaryDirectory(prefix="codesteer-rootfs-", dir=os.environ.get("TMPDIR", "/var/tmp")) as tmp:
        tar = Path(tmp) / "rootfs.tar"
        log("building a Debian root filesystem with debootstrap (a few minutes)")
        subprocess.run(
            ["sh", str(IMAGE_DIR / "rootfs.sh"), str(Path(tmp) / "root"), str(tar)],
            check=True,
            env={**os.environ, "CODESTEER_PIP_PYTHON": _pip_python()},
        )
        log(f"importing the root filesystem as {tag}")
        repo, _, name = tag.partition(":")
        client.api.import_image(src=str(tar), repository=repo, tag=name)
    return tag


def build_image(
    client,
    tag: str | None = None,
    *,
    force: bool = False,
    offline: bool | None = None,
    log: Callable[[str], None] = print,
) -> BuildOutcome:
    """Build the sandbox image as ``tag`` unless an image with this recipe exists.

    ``offline`` None tries Docker Hub first and falls back to debootstrap; the
    environment variable CODESTEER_SANDBOX_OFFLINE=1 forces the offline path.
    """
    tag = tag or default_image_tag()
    recipe = recipe_hash()
    if not force and image_recipe_state(client, tag) == "current":
        log(f"{tag} is up to date (recipe {recipe[:12]})")
        return BuildOutcome(tag=tag, recipe=recipe, how="cached")
    if offline is None:
        offline = os.environ.get(OFFLINE_ENV, "") not in ("", "0", "false")
    base = None if offline else _online_base(client, log)
    how: Literal["online", "offline"] = "online" if base else "offline"
    if base is None:
        base = _offline_base(client, log)
    log(f"building {tag} from {base}")
    _stream_build(
        client,
        log,
        path=str(IMAGE_DIR),
        dockerfile="Dockerfile",
        tag=tag,
        buildargs={"BASE": base},
        labels={RECIPE_LABEL: recipe},
        network_mode="none",
    )
    return BuildOutcome(tag=tag, recipe=recipe, how=how)
