"""A tiny Llama guide model built locally in a second or two: no download, no GPU.

``build_tiny_model(dir)`` writes a randomly initialised LlamaForCausalLM (2 layers,
hidden size 64) and a byte-level BPE tokenizer trained in memory, with the CodeSteer
control tokens as single tokens and a chat template, in the layout ``from_pretrained``
reads.

Two flavours:

- ``garbage=True`` (default): random weights, and every token that could write a marker
  (any token containing '<' or '>' but the end of turn) is suppressed in the saved
  generation config, so the model's reply is never a usable decision, on any platform;
- ``script={"<|assistant|>": "<<<Code>>>", "<<<Code>>>": "<|end|>"}``: the weights are
  set so that greedy decoding follows the script (the next token depends only on the
  last one), which makes the model write chosen control tokens.
"""

from __future__ import annotations

from pathlib import Path

from guide.codesteer_format import CONTROL_TOKENS, FIRST_TURN_INSTRUCTION, GUIDANCE_REQUEST
from guide.prompts import CODE_FIRST

END = "<|end|>"
PAD = "<|pad|>"
ROLE_TOKENS = ["<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
_CORPUS = [
    FIRST_TURN_INSTRUCTION,
    GUIDANCE_REQUEST,
    CODE_FIRST,
    "The response from TaskLLM is: print(24)\nThe execution result from the generated code is:\noutput: 24",
    "The feedback from the checking agent is: incorrect: the expression uses 8 twice",
    "<<<Write a program that searches every expression over the four numbers.>>>",
    "Use numbers and basic arithmetic operations (+ - * /) to obtain 24: 4 7 8 8",
]


def build_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=512,
        special_tokens=[PAD, END, *ROLE_TOKENS, *CONTROL_TOKENS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(_CORPUS * 3, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token=PAD, eos_token=END, padding_side="left", chat_template=CHAT_TEMPLATE
    )


def build_tiny_model(directory: Path, *, script: dict[str, str] | None = None, seed: int = 0, max_new_tokens: int = 12) -> Path:
    """Write the tiny model and its tokenizer to ``directory``; returns it."""
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    tokenizer = build_tokenizer()
    end_id, pad_id = tokenizer.convert_tokens_to_ids(END), tokenizer.convert_tokens_to_ids(PAD)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=False,
        bos_token_id=None,
        eos_token_id=end_id,
        pad_token_id=pad_id,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config).eval()
    generation = GenerationConfig(eos_token_id=end_id, pad_token_id=pad_id, max_new_tokens=max_new_tokens, do_sample=False)
    if script:
        _follow_script(model, tokenizer, script)
    else:
        text_of = {i: tokenizer.convert_tokens_to_string([token]) for token, i in tokenizer.get_vocab().items()}
        generation.suppress_tokens = sorted(i for i, text in text_of.items() if i != end_id and ("<" in text or ">" in text))
    model.generation_config = generation
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _follow_script(model, tokenizer, script: dict[str, str]) -> None:
    """Make greedy decoding map each script key to its value.

    With the attention and MLP outputs zeroed, the last hidden state is the (normalised)
    embedding of the last token; each target's output row then points along its
    source's embedding, so the target wins by a wide margin.
    """
    import torch

    with torch.no_grad():
        for layer in model.model.layers:
            layer.self_attn.o_proj.weight.zero_()
            layer.mlp.down_proj.weight.zero_()
        model.lm_head.weight.zero_()
        embeddings = model.model.embed_tokens.weight
        for source, target in script.items():
            src, dst = tokenizer.convert_tokens_to_ids(source), tokenizer.convert_tokens_to_ids(target)
            direction = embeddings[src] / embeddings[src].norm()
            model.lm_head.weight[dst] += 50.0 * direction
