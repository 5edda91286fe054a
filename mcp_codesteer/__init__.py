"""mcp-codesteer: CodeSteer (code/text steering of a language model) as an MCP server."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mcp-codesteer")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
