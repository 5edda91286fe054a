"""``mcp-codesteer sandbox``: build the docker sandbox image, or say which sandbox
``--sandbox auto`` would pick here and why."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

import anyio

from .types import DockerOptions


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = sub.add_parser(
        "build",
        help="build the sandbox image (skipped when the recipe is unchanged)",
        description="Build the sandbox image. By default it tries online first (python:3.11-slim from Docker Hub) "
        "and falls back to offline (Debian packages with debootstrap, as root) when Docker Hub cannot be reached; "
        "CODESTEER_SANDBOX_OFFLINE=1 or --offline forces offline.",
    )
    build.add_argument("--force", action="store_true", help="rebuild even when an image with this recipe exists")
    build.add_argument("--tag", default=None, help="image tag (default mcp-codesteer-sandbox:<version>)")
    where = build.add_mutually_exclusive_group()
    where.add_argument("--offline", action="store_true",
                       help="only offline: Debian packages with debootstrap (needs root), plus python-constraint from PyPI")
    where.add_argument("--online", action="store_true",
                       help="only online: python:3.11-slim from Docker Hub (default: online, else offline)")
    status = sub.add_parser("status", help="which sandbox --sandbox auto would use, and why")
    status.add_argument("--image", default=None, help="image to check (default mcp-codesteer-sandbox:<version>)")
    status.add_argument("--runtime", default=None, help="container runtime to check, e.g. runsc")


def _build(args: argparse.Namespace) -> int:
    from .docker.connection import make_client
    from .image import build_image

    try:
        client = make_client()
        client.ping()
    except Exception as exc:
        print(f"sandbox build: no Docker daemon answers ({exc}); start dockerd or run .ci/docker-setup.sh", file=sys.stderr)
        return 1
    offline = True if args.offline else (False if args.online else None)
    try:
        outcome = build_image(client, args.tag, force=args.force, offline=offline, log=print)
    except Exception as exc:
        print(f"sandbox build failed: {exc}", file=sys.stderr)
        return 1
    print(f"{outcome.tag}: {outcome.how} (recipe {outcome.recipe[:12]})")
    return 0


def _status(args: argparse.Namespace) -> int:
    try:
        from .docker import docker_unavailable_reason
    except ImportError as exc:
        reason: str | None = f"the docker backend cannot be imported ({exc})"
    else:
        options = DockerOptions(image=args.image, runtime=args.runtime)
        reason = anyio.run(docker_unavailable_reason, options)
    if reason is None:
        print("auto -> docker: the daemon answers and the sandbox image is current")
        return 0
    print(f"auto -> local: docker is unavailable: {reason}")
    bwrap = shutil.which("bwrap")
    print(f"local backend: bubblewrap {'found at ' + bwrap if bwrap else 'NOT found (apt-get install bubblewrap)'}")
    return 0


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    return _build(args) if args.action == "build" else _status(args)
