"""The transformers guide with a tiny Llama built on the spot: decisions, batching, fallback, the MCP loop."""

from __future__ import annotations

import anyio
import pytest

pytest.importorskip("torch", reason="the hf guide needs torch: pip install 'mcp-codesteer[hf]'")
pytest.importorskip("transformers", reason="the hf guide needs transformers: pip install 'mcp-codesteer[hf]'")

from mcp import Client  # noqa: E402
from tinymodel import build_tiny_model  # noqa: E402

from guide.codesteer_format import render_conversation  # noqa: E402
from guide.chat import ChatMessage, GenerateSettings, ModelOptions  # noqa: E402
from guide.registry import create_guide  # noqa: E402
from guide.types import Action, Trajectory  # noqa: E402
from mcp_codesteer.server import build_server  # noqa: E402
from mcp_codesteer.settings import Settings  # noqa: E402

CODE_THEN_END = {"<|assistant|>": "<<<Code>>>", "<<<Code>>>": "<|end|>"}
REPLY_TOKENS = 12
"""What the tiny models may write (random text, a malformed guidance, needs no more)."""

pytestmark = pytest.mark.usefixtures("real_model_requests")


def hf_guide(path, **options):
    return create_guide(f"hf:{path}", options=ModelOptions(**options), max_tokens=REPLY_TOKENS)


def _chat(trajectory):
    return [ChatMessage(**m) for m in render_conversation(trajectory)]


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """A model this small runs fastest on one thread; on a busy 2-core CI machine, many times faster."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def garbage_model(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("garbage"))


@pytest.fixture(scope="module")
def code_model(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("code"), script=CODE_THEN_END)


def _fresh(question: str) -> Trajectory:
    return Trajectory(session_id="s", question=question)


@pytest.mark.anyio
async def test_the_hf_guide_follows_a_control_token_its_model_writes(code_model):
    guide = hf_guide(code_model)
    guidance = await guide.next(_fresh("Use 4 7 8 8 to make 24."))
    assert (guidance.action, guidance.source) == (Action.CODE, "hf")
    assert guidance.prompt.startswith("Use 4 7 8 8 to make 24.")
    assert guide.model.stats[-1].new_tokens == 1  # <<<Code>>> is one token, then the end of turn


@pytest.mark.anyio
async def test_random_text_from_the_model_falls_back_to_the_rules_guide(garbage_model):
    guidance = await hf_guide(garbage_model).next(_fresh("Use 4 7 8 8 to make 24."))
    assert guidance.source == "hf+fallback"
    assert "malformed" in guidance.rationale
    assert guidance.action in (Action.CODE, Action.TEXT)


@pytest.mark.anyio
async def test_concurrent_sessions_are_generated_in_one_left_padded_batch(garbage_model):
    questions = ["Short?", "A somewhat longer question about 24?", "The longest question of the three, with 1 2 3 4?"]
    batched = hf_guide(garbage_model, batch_window_s=0.2)
    settings = GenerateSettings(temperature=0.0, max_tokens=REPLY_TOKENS)
    replies: dict[str, str] = {}

    async def ask(question: str) -> None:
        replies[question] = (await batched.model.generate(_chat(_fresh(question)), settings)).text

    async with anyio.create_task_group() as tg:
        for q in questions:
            tg.start_soon(ask, q)
    assert batched.model.batcher.batch_sizes == [3]

    # the same conversations one at a time: left padding must not change any reply
    single = hf_guide(garbage_model, batch_window_s=0)
    for q in questions:
        assert (await single.model.generate(_chat(_fresh(q)), settings)).text == replies[q]
    assert single.model.batcher.batch_sizes == [1, 1, 1]


@pytest.mark.anyio
async def test_a_conversation_over_the_token_limit_falls_back_and_names_the_limit(code_model):
    guide = hf_guide(code_model, max_input_tokens=32)
    guidance = await guide.next(_fresh("Use 4 7 8 8 to make 24."))
    assert guidance.source == "hf+fallback"
    assert "max_input_tokens" in guidance.rationale


@pytest.mark.anyio
async def test_a_whole_session_through_the_mcp_server_steers_with_the_tiny_model(garbage_model, tmp_path):
    settings = Settings(guide=f"hf:{garbage_model}", guide_max_tokens=REPLY_TOKENS, data_dir=tmp_path, sandbox="local",
                        max_rounds=3)
    responses = [
        "Four numbers: 6 times 4 is 24. <<<6*4>>>",
        "```python\nprint('<<<(4+4)*3>>>')\n```",
        "I checked again. <<<(4+4)*3>>>",
    ]
    async with Client(build_server(settings)) as client:
        result = (await client.call_tool("steer_next", {"question": "Use 3 4 4 to make 24 with + - * /."})).structured_content
        steps = [result]
        for response in responses:
            if result["done"]:
                break
            result = (
                await client.call_tool("steer_next", {"session_id": result["session_id"], "response": response})
            ).structured_content
            steps.append(result)
    assert result["done"], "the session must end by the round limit"
    assert result["final_answer"]
    for step in steps:
        # the random model never writes a marker, so every decision is the rules guide's, recorded as such
        assert step["guide"] == "hf+fallback"
        assert "malformed" in step["rationale"]
        assert step["prompt"].strip()


def test_a_model_path_that_does_not_exist_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="no model there"):
        create_guide(f"hf:{tmp_path / 'missing'}")
