"""``mcp-codesteer guide serve``: serve a guide model with vLLM, print the ``--guide`` to use;
``mcp-codesteer guide train-first-choice``: rebuild the rules guide's first-choice weights.

The server is bound to 127.0.0.1 (reach it from elsewhere through an SSH tunnel or a
proxy of your own), with prefix caching on (successive guidance requests of a session
share their whole past conversation). With ``--lora`` the adapter is served on top of
its base model without merging, under the name the ``--guide`` string uses.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .chat.vllm import INSTALL_HINT, lora_rank, max_lora_rank_for

HOST = "127.0.0.1"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = sub.add_parser("serve", help="start `vllm serve` for a guide model and print the --guide string")
    serve.add_argument("model", nargs="?", help="model directory or hub id; with --lora, default the adapter's base model")
    serve.add_argument("--lora", type=Path, help="LoRA adapter directory, served on top of the base model without merging")
    serve.add_argument("--name", default="codesteer", help="model name clients ask for (default: codesteer)")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.add_argument("--max-model-len", type=int, help="context length (default: the model's own)")
    serve.add_argument("--gpu-memory-utilization", type=float, default=0.85, help="share of GPU memory vLLM may take")
    serve.add_argument("--dtype", default="auto", help="vLLM dtype: auto, bfloat16, float16 (default: auto)")
    serve.add_argument("--dry-run", action="store_true", help="print the vllm command and the --guide string, start nothing")
    train = sub.add_parser(
        "train-first-choice",
        help="refit the rules guide's code/text first-choice classifier on the seen SymBench tasks (needs scikit-learn)",
    )
    from . import first_choice_train

    first_choice_train.configure(train)


def guide_spec(name: str, port: int) -> str:
    return f"openai:{name}@http://{HOST}:{port}/v1"


def vllm_command(args: argparse.Namespace) -> list[str]:
    """The ``vllm serve`` command line for ``args``; ValueError saying what to fix."""
    model = args.model
    cmd_tail: list[str] = []
    if args.lora is not None:
        adapter = args.lora.expanduser().resolve()
        config = adapter / "adapter_config.json"
        if not config.is_file():
            raise ValueError(
                f"--lora {args.lora}: no adapter_config.json there; pass the directory a PEFT LoRA adapter was saved to"
            )
        if model is None:
            model = json.loads(config.read_text()).get("base_model_name_or_path")
            if not model:
                raise ValueError("--lora: the adapter does not name its base model; pass the base model as MODEL")
        # the base model keeps its own name; the adapter takes --name, which the guide asks for
        cmd_tail += ["--enable-lora", "--lora-modules", f"{args.name}={adapter}"]
        rank = max_lora_rank_for(lora_rank(adapter))
        if rank:
            cmd_tail += ["--max-lora-rank", str(rank)]
        served = f"{args.name}-base"
    else:
        served = args.name
    if model is None:
        raise ValueError("name the guide model: mcp-codesteer guide serve /path/to/model (or --lora /path/to/adapter)")
    cmd = [
        "vllm", "serve", str(model),
        "--host", HOST,
        "--port", str(args.port),
        "--served-model-name", served,
        "--enable-prefix-caching",
        "--dtype", args.dtype,
        "--gpu-memory-utilization", str(args.gpu_memory_utilization),
    ]
    if args.max_model_len:
        cmd += ["--max-model-len", str(args.max_model_len)]
    return cmd + cmd_tail


def run(args: argparse.Namespace) -> int:
    if args.action == "train-first-choice":
        from . import first_choice_train

        return first_choice_train.run(args)
    try:
        cmd = vllm_command(args)
    except ValueError as exc:
        print(f"mcp-codesteer guide serve: {exc}", file=sys.stderr)
        return 2
    spec = guide_spec(args.name, args.port)
    vllm = shutil.which("vllm")
    if args.dry_run:
        print(shlex.join(cmd))
        print(f"--guide {spec}")
        if vllm is None:
            print(f"(vLLM is not installed here: {INSTALL_HINT})", file=sys.stderr)
        return 0
    if vllm is None:
        print(
            "mcp-codesteer guide serve: vLLM is not installed (no `vllm` command on PATH).\n"
            f"Install it on a machine with an NVIDIA GPU: {INSTALL_HINT}\n"
            "Without vLLM, run the guide in the server process with --guide hf:/path/to/model, or point "
            "--guide openai:MODEL@http://host:port/v1 at any OpenAI-compatible endpoint.",
            file=sys.stderr,
        )
        return 2
    print(f"starting: {shlex.join(cmd)}", file=sys.stderr)
    print(f"when it is up, start the MCP server with: mcp-codesteer serve --guide {spec}", flush=True)
    process = subprocess.Popen([vllm, *cmd[1:]])
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
