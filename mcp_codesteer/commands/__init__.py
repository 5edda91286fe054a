"""Sub-commands of ``mcp-codesteer`` that belong to the server itself."""
