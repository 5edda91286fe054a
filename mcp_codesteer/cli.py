"""The ``mcp-codesteer`` command.

Each sub-command lives in its own module exposing ``configure(parser)`` and
``run(args) -> int``; only the chosen one is imported, so ``serve`` starts without
loading the evaluation client, the docker SDK or torch.

Where the modules live: a package's own command in ``<package>/command.py`` (guide,
sandbox, eval), the server's in ``mcp_codesteer/commands/<name>.py``. Two keep older
names (``symbench/cli.py``, ``eval/report_command.py``) while other work on them is in
flight; the table below is the one place that maps a command to its module.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("mcp_codesteer.commands.serve", "run the MCP server (stdio by default, or --transport http)"),
    "demo": ("mcp_codesteer.commands.demo", "one steering session through the real server, with a scripted model"),
    "eval": ("mcp_codesteer.eval.command", "run SymBench through the server's tools against a model"),
    "report": ("mcp_codesteer.eval.report_command", "render the report of one or more eval run directories"),
    "symbench": ("symbench.cli", "list, show, generate and verify SymBench tasks; check stored golds; export"),
    "sandbox": ("sandbox.command", "build the docker sandbox image, or check which sandbox would be used"),
    "guide": ("guide.command", "serve a guide model with vLLM; retrain the rules guide's first-choice classifier"),
    "train": ("mcp_codesteer.commands.train", "train a guide: synth, data, sft, dpo (extra 'train' for sft/dpo)"),
}


def _top_parser() -> argparse.ArgumentParser:
    epilog = "commands:\n" + "\n".join(f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="mcp-codesteer",
        description="CodeSteer as an MCP server: steer a model between text and code, safely and measurably.",
        epilog=epilog + "\n\nrun 'mcp-codesteer COMMAND --help' for a command's options",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mcp-codesteer {__version__}")
    parser.add_argument("command", choices=list(COMMANDS), metavar="COMMAND", help="one of the commands below")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    top = _top_parser()
    if not argv or argv[0].startswith("-"):
        top.parse_args(argv or ["--help"])
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        top.parse_args([name])  # prints the usage error and exits 2
    module_name, help_ = COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        print(f"mcp-codesteer {name}: unavailable ({exc})", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog=f"mcp-codesteer {name}", description=help_)
    module.configure(parser)
    args = parser.parse_args(rest)
    return int(module.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
