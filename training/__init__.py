"""Training the guide from trajectories: synthesis trees, SFT/DPO data, SFT and DPO (TRL + peft).

- :mod:`training.synth`: explore a tree of guidance per generated question (TaskLLM and a
  sampling guide; rounds made by the server's steering service), record each tree once;
- :mod:`training.tree`: the paper's scores (15 - depth if right, -depth if wrong, nodes
  the mean of their children) and the DPO pairs of sibling branches;
- :mod:`training.data`: trees, eval runs and session stores -> SFT conversations (rendered
  by ``guide.codesteer_format``) and DPO pairs, as ``datasets`` and JSONL, with statistics;
- :mod:`training.sft`, :mod:`training.dpo`: TRL trainers, LoRA by default, configured by
  :mod:`training.config`; the output directory is what ``--guide hf:DIR`` loads.

Importing this package is cheap: torch, transformers, peft and trl are imported by the
functions that train.
"""

from .config import DPOOptions, SFTOptions
from .tree import PreferencePair, Rollout, SynthTree, leaf_score, node_score, preference_pairs

__all__ = [
    "DPOOptions",
    "PreferencePair",
    "Rollout",
    "SFTOptions",
    "SynthTree",
    "leaf_score",
    "node_score",
    "preference_pairs",
]
