"""The sandbox image: its recipe (files next to this module) and how it is built."""

from .build import (
    IMAGE_REPO,
    RECIPE_LABEL,
    BuildOutcome,
    build_image,
    default_image_tag,
    image_recipe_state,
    recipe_hash,
)

__all__ = [
    "IMAGE_REPO",
    "RECIPE_LABEL",
    "BuildOutcome",
    "build_image",
    "default_image_tag",
    "image_recipe_state",
    "recipe_hash",
]
