"""A file a run left behind, as MCP content: images as image content, everything else as
an embedded resource (text when it is UTF-8 text, else a base64 blob) named
``sandbox://run/<name>``. The bytes were already cut to the sandbox's file limits."""

from __future__ import annotations

import base64

from mcp.types import BlobResourceContents, EmbeddedResource, ImageContent, TextResourceContents

from sandbox import ExecFile
from sandbox.files import IMAGE_TYPES

TEXT_TYPES = ("application/json", "application/xml", "application/x-yaml", "application/csv")


def file_content(f: ExecFile) -> ImageContent | EmbeddedResource:
    data = base64.b64decode(f.data_b64, validate=True)  # validated again: it crossed from the sandbox
    if f.mime_type in IMAGE_TYPES:
        return ImageContent(type="image", data=f.data_b64, mime_type=f.mime_type)
    uri = f"sandbox://run/{f.name}"
    if f.mime_type.startswith("text/") or f.mime_type in TEXT_TYPES:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return EmbeddedResource(type="resource", resource=TextResourceContents(uri=uri, mime_type=f.mime_type, text=text))
    return EmbeddedResource(type="resource", resource=BlobResourceContents(uri=uri, mime_type=f.mime_type, blob=f.data_b64))
