"""``hf:PATH`` as any consumer's chat model (the TaskLLM, training's synthesis), with a tiny
random Llama built on the spot: usage, length limit, sampling seeds, stop strings."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="hf: needs torch: pip install 'mcp-codesteer[hf]'")
pytest.importorskip("transformers", reason="hf: needs transformers: pip install 'mcp-codesteer[hf]'")

from tinymodel import build_tiny_model  # noqa: E402

from guide.chat import ChatMessage, GenerateSettings, ModelOptions, resolve_chat_model  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("real_model_requests")]

CONVERSATION = [ChatMessage(role="system", content="Be brief."), ChatMessage(role="user", content="Use 4 7 8 8 to make 24.")]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)  # a model this small runs fastest on one thread
    path = build_tiny_model(tmp_path_factory.mktemp("taskllm"), max_new_tokens=40)
    yield resolve_chat_model(f"hf:{path}", ModelOptions(batch_window_s=0))
    torch.set_num_threads(before)


async def test_a_greedy_reply_reports_its_tokens_and_stops_at_the_length_asked(model):
    done = await model.generate(CONVERSATION, GenerateSettings(max_tokens=6))
    again = await model.generate(CONVERSATION, GenerateSettings(max_tokens=6))
    assert done.text == again.text  # greedy is deterministic
    assert done.usage.output_tokens <= 6 and done.usage.input_tokens > 10
    assert done.finish_reason in ("length", "stop") and done.duration_s > 0
    if done.usage.output_tokens == 6:
        assert done.finish_reason == "length"


async def test_sampling_with_a_seed_repeats_and_the_model_default_length_applies_without_max_tokens(model):
    settings = GenerateSettings(temperature=1.0, seed=7)
    first = await model.generate(CONVERSATION, settings)
    second = await model.generate(CONVERSATION, settings)
    assert first.text == second.text
    assert first.usage.output_tokens <= 40  # the saved generation config's max_new_tokens


async def test_a_stop_string_ends_the_reply_and_is_left_out(model):
    full = (await model.generate(CONVERSATION, GenerateSettings(max_tokens=20))).text
    if len(full) < 4:
        pytest.skip(f"the random model wrote too little to cut ({full!r})")
    stop = full[len(full) // 2 : len(full) // 2 + 2]
    cut = await model.generate(CONVERSATION, GenerateSettings(max_tokens=20, stop=[stop]))
    assert cut.text == full[: full.index(stop)]
    assert cut.finish_reason == "stop"


async def test_a_peft_lora_adapter_directory_loads_on_its_base_model(tmp_path):
    """What training writes and `--guide hf:ADAPTER` serves: the adapter names its base model."""
    pytest.importorskip("peft", reason="LoRA adapters need peft: pip install 'mcp-codesteer[train]'")
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = build_tiny_model(tmp_path / "base")
    adapted = get_peft_model(AutoModelForCausalLM.from_pretrained(base), LoraConfig(r=4, target_modules=["q_proj", "v_proj"]))
    adapted.save_pretrained(tmp_path / "adapter")
    AutoTokenizer.from_pretrained(base).save_pretrained(tmp_path / "adapter")
    model = resolve_chat_model(f"hf:{tmp_path / 'adapter'}", ModelOptions(batch_window_s=0))
    done = await model.generate(CONVERSATION, GenerateSettings(max_tokens=3))
    assert done.usage.output_tokens >= 1
    assert getattr(model._model, "peft_config", None), "the LoRA adapter was not applied"
