#!/bin/sh
# Offline base of the sandbox image: a Debian root filesystem with Python 3 and the
# packages symbolic solutions use, from Debian's own archive (no Docker Hub needed).
# Usage: rootfs.sh TARGET_DIR OUTPUT_TAR   (run as root; needs debootstrap, and PyPI for
# the one package Debian lacks). The tarball it writes is loaded with `docker import` by
# sandbox/image/build.py, which sets CODESTEER_PIP_PYTHON to an interpreter with pip.
set -eu

target=${1:?usage: rootfs.sh TARGET_DIR OUTPUT_TAR}
output=${2:?usage: rootfs.sh TARGET_DIR OUTPUT_TAR}
suite=${CODESTEER_DEBIAN_SUITE:-bookworm}
mirror=${CODESTEER_DEBIAN_MIRROR:-http://deb.debian.org/debian}

packages=python3,python3-numpy,python3-sympy,python3-scipy,python3-networkx,python3-matplotlib,python3-z3
# python-constraint is not packaged by Debian: the builder's pip puts its pure-Python
# files into the root filesystem (no pip inside the image).
pip_python=${CODESTEER_PIP_PYTHON:-python3}
pypi_packages="python-constraint>=1.4,<2"

rm -rf "$target"
mkdir -p "$target"
debootstrap --variant=minbase --include="$packages" "$suite" "$target" "$mirror"
site="$target/usr/lib/python3/dist-packages"
"$pip_python" -m pip install -q --no-deps --no-compile --disable-pip-version-check --target "$site" $pypi_packages
rm -rf "$site/examples"  # python-constraint ships its examples as a top-level package

# Nothing the sandbox needs at run time: package caches, lists, docs, setuid bits.
chroot "$target" apt-get clean
rm -rf "$target"/var/lib/apt/lists/* "$target"/var/cache/apt/* "$target"/usr/share/doc/* \
       "$target"/usr/share/man/* "$target"/usr/share/info/* "$target"/tmp/* "$target"/var/tmp/*
find "$target" -xdev -type f -perm /6000 -exec chmod a-s {} +

tar --numeric-owner -C "$target" -cf "$output.partial" .
mv "$output.partial" "$output"
rm -rf "$target"
