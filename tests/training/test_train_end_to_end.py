"""synth (scripted TaskLLM, function guide) -> data -> SFT -> the output served with --guide hf: steers a session."""

from __future__ import annotations

import argparse
import json
import shutil

import pytest
from mcp import Client

from mcp_codesteer.cli import main as cli_main
from mcp_codesteer.commands.train_synth import synthesize_with_service
from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings
from mcp_codesteer.steering import CodeSteer
from training.synth import SamplingGuide, SynthConfig, plan_questions

from scripted import FunctionGuide, task_llm
from tinymodel import build_tiny_model

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)"),
]


@pytest.mark.anyio
async def test_a_guide_trained_from_synthesis_steers_a_session_through_the_mcp_server(tmp_path, capsys, real_model_requests):
    pytest.importorskip("trl", reason="training needs the 'train' extra")
    pytest.importorskip("peft", reason="training needs the 'train' extra")
    # 1. synthesis through the steering service
    config = SynthConfig(tasks=["statistical_counting", "pooling"], questions_per_task=2, branches=2, branch_at=[0, 1])
    planned = plan_questions(config.tasks, config.questions_per_task, config.seed)
    golds = {s.question: t.gold_answer(s) for t, s in planned}
    args = argparse.Namespace(sandbox="local", concurrency=2, temperature=0.0, max_tokens=512, api_key=None,
                              data_dir=None)
    await synthesize_with_service(tmp_path / "synth", config, args, task_llm=task_llm(golds), guide=SamplingGuide(FunctionGuide().model))

    # 2. data, through the command
    assert cli_main(["train", "data", "--synth", str(tmp_path / "synth"), "--out", str(tmp_path / "data")]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["conversations"] == 8 and stats["pairs"] == 4

    # 3. SFT (LoRA) on a tiny Llama that already writes <<<Code>>>, through the command
    base = build_tiny_model(tmp_path / "base", script={"<|assistant|>": "<<<Code>>>", "<<<Code>>>": "<|end|>"})
    out = tmp_path / "guide"
    code = cli_main(["train", "sft", "--model", str(base), "--data", str(tmp_path / "data"), "--out", str(out),
                     "--max-steps", "3", "--batch-size", "2", "--grad-accum", "1", "--max-length", "1024",
                     "--logging-steps", "1", "--save-steps", "2"])
    assert code == 0
    assert {"adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "README.md", "codesteer_training.json"} <= {
        p.name for p in out.iterdir()}
    card = json.loads((out / "codesteer_training.json").read_text())
    assert card["base_model"] == str(base) and card["data_stats"]["conversations"] == 8
    assert card["hyperparameters"]["lora_r"] == 16 and (out / "checkpoint-2").is_dir()

    # 4. the output directory, as --guide hf:DIR, steers a session through the MCP server
    settings = Settings(data_dir=tmp_path / "server", sandbox="local", guide=f"hf:{out}")
    app = CodeSteer(settings)
    task, sample = planned[0]
    async with Client(build_server(settings, app=app)) as client:
        first = (await client.call_tool("steer_next", {"question": sample.question})).structured_content
        assert (first["guide"], first["action"]) == ("hf", "code")
        response = f"```python\nprint({task.gold_answer(sample)!r})\n```"
        second = (await client.call_tool("steer_next", {"session_id": first["session_id"], "response": response})).structured_content
        assert second["guide"] == "hf" and second["round"] == 1
        model = app.guide.model._model
        assert getattr(model, "peft_config", None), "the hf guide did not load the LoRA adapter"
