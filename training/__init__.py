"""Training of the guide (multi-round SFT and DPO from recorded trajectories).

Not built yet: this package only reserves the name. The trajectories it will read are
the ones the server stores (``mcp_codesteer.store``) and ``mcp-codesteer eval`` writes.
"""
