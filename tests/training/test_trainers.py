"""SFT and DPO with TRL on the tiny random Llama: masking, a few steps, a rule learned."""

from __future__ import annotations

import random

import pytest

from guide.codesteer_format import CODE_TOKEN, RETURN_TOKEN, TEXT_TOKEN, render_first_turn, render_round
from guide.types import Round
from training import dpo, sft
from training.config import DPOOptions, SFTOptions
from training.modeling import load_tokenizer

pytestmark = pytest.mark.slow


def _conversation(question: str, first: str) -> list[dict[str, str]]:
    return [
        {"role": "user", "content": render_first_turn(question)},
        {"role": "assistant", "content": first},
        {"role": "user", "content": render_round(Round(index=1, response="print(24)", answer="24"))},
        {"role": "assistant", "content": RETURN_TOKEN},
    ]


def _trainable(model) -> dict:
    return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}


def _changed(before: dict, model) -> list[str]:
    after = dict(model.named_parameters())
    return [n for n, p in before.items() if not (after[n].detach() == p).all()]


def _options(cls, tmp_path, **kw):
    defaults = dict(data=tmp_path, out=tmp_path / "out", max_steps=3, batch_size=2, grad_accum=1, logging_steps=1,
                    save_steps=1000, warmup=0, max_length=512)
    return cls(**{**defaults, **kw})


def test_sft_labels_are_the_guide_turns_only_after_collation(tiny_base):
    tokenizer = load_tokenizer(tiny_base)
    messages = _conversation("Use 4 7 8 8 to make 24", CODE_TOKEN)
    encoded = sft.tokenize_conversation(tokenizer, messages)
    trainer = sft.build_trainer(SFTOptions(model=str(tiny_base), data=tiny_base, out=tiny_base.parent / "unused"),
                                [{"messages": messages}, {"messages": _conversation("Is it sarcastic?", TEXT_TOKEN)}])
    batch = trainer.data_collator([trainer.train_dataset[0], trainer.train_dataset[1]])
    labels = batch["labels"][0].tolist()
    assert batch["input_ids"][0].tolist()[: len(encoded["input_ids"])] == encoded["input_ids"]
    targets = [tokenizer.convert_ids_to_tokens(t) for t in labels if t != -100]
    assert targets == [CODE_TOKEN, "<|end|>", RETURN_TOKEN, "<|end|>"]
    # the padding of the shorter row is masked too
    assert batch["labels"][1].tolist()[-1] == -100 or len(set(map(len, [labels, batch["labels"][1]]))) == 1
    whole = tokenizer.apply_chat_template(messages, tokenize=False)
    assert tokenizer.decode(encoded["input_ids"]) == whole


def test_sft_runs_three_steps_and_changes_only_and_all_lora_weights(tiny_base, tmp_path):
    rows = [{"messages": _conversation(f"Make 24 from 1 2 3 {i}", CODE_TOKEN)} for i in range(4)]
    trainer = sft.build_trainer(_options(SFTOptions, tmp_path, model=str(tiny_base)), rows)
    before = _trainable(trainer.model)
    assert before and all("lora_" in n for n in before)
    trainer.train()
    changed = _changed(before, trainer.model)
    assert set(changed) == {n for n in before if "lora_B" in n or "lora_A" in n} & set(changed)
    assert any("lora_B" in n for n in changed)


def test_dpo_starts_from_the_sft_adapter_and_changes_it_in_three_steps(tiny_base, tmp_path):
    rows = [{"messages": _conversation(f"Make 24 from 1 2 3 {i}", CODE_TOKEN)} for i in range(2)]
    sft_options = _options(SFTOptions, tmp_path, model=str(tiny_base), out=tmp_path / "sft", max_steps=1)
    sft.train_rows(sft_options, rows)
    pairs = [{"prompt": r["messages"][:1], "chosen": [{"role": "assistant", "content": CODE_TOKEN}],
              "rejected": [{"role": "assistant", "content": TEXT_TOKEN}]} for r in rows]
    dpo_options = _options(DPOOptions, tmp_path, sft=tmp_path / "sft", out=tmp_path / "dpo", learning_rate=1e-3)
    trainer = dpo.build_trainer(dpo_options, pairs)
    before = _trainable(trainer.model)
    assert before and all(".default." in n for n in before)  # the "ref" copy stays frozen
    trainer.train()
    assert any("lora_B" in n for n in _changed(before, trainer.model))


def test_dpo_output_is_one_adapter_over_the_base_with_a_card(tiny_base, tmp_path):
    import json

    from peft import PeftConfig

    rows = [{"messages": _conversation("Make 24 from 1 2 3 4", CODE_TOKEN)}]
    sft.train_rows(_options(SFTOptions, tmp_path, model=str(tiny_base), out=tmp_path / "sft", max_steps=1, batch_size=1), rows)
    pairs = [{"prompt": rows[0]["messages"][:1], "chosen": [{"role": "assistant", "content": CODE_TOKEN}],
              "rejected": [{"role": "assistant", "content": TEXT_TOKEN}]}]
    dpo.train_rows(_options(DPOOptions, tmp_path, sft=tmp_path / "sft", out=tmp_path / "dpo", max_steps=1, batch_size=1), pairs)
    out = tmp_path / "dpo"
    assert PeftConfig.from_pretrained(str(out)).base_model_name_or_path == str(tiny_base)
    assert not (out / "ref").exists()  # TRL's frozen reference copy is not part of the output
    card = json.loads((out / "codesteer_training.json").read_text())
    assert (card["stage"], card["base_model"], card["starts_from"]) == ("dpo", str(tiny_base), str(tmp_path / "sft"))


WORDS = ["apple", "river", "stone", "cloud", "green", "house", "light", "music", "paper", "table", "water", "window"]


def _question(rng: random.Random, numeric: bool) -> str:
    """An arithmetic question (code) or a question about words (text)."""
    if numeric:
        return " ".join(f"{rng.randint(10, 999)} {rng.choice('+-*')}" for _ in range(4)) + f" {rng.randint(10, 999)} = ?"
    return "Which of these is a fruit: " + ", ".join(rng.sample(WORDS, 5)) + "?"


def test_a_short_sft_teaches_the_first_choice_rule_to_held_out_questions(tiny_base, tmp_path):
    """Questions ending in a number want code, questions ending in a word want text."""
    import torch

    rng = random.Random(0)
    train_rows = []
    for i in range(48):
        numeric = i % 2 == 0
        train_rows.append({"messages": _conversation(_question(rng, numeric), CODE_TOKEN if numeric else TEXT_TOKEN)[:2]})
    options = _options(SFTOptions, tmp_path, model=str(tiny_base), full=True, max_steps=28, batch_size=4,
                       learning_rate=5e-3)
    trainer = sft.build_trainer(options, train_rows)
    trainer.train()
    model, tokenizer = trainer.model.eval(), trainer.processing_class
    held_out_rng = random.Random(12345)
    held_out = [(_question(held_out_rng, numeric), numeric) for numeric in [True, False] * 6]
    seen = {r["messages"][0]["content"] for r in train_rows}
    right = 0
    for question, numeric in held_out:
        messages = [{"role": "user", "content": render_first_turn(question)}]
        assert messages[0]["content"] not in seen
        ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        with torch.no_grad():
            logits = model(**ids).logits[0, -1]
        choice = tokenizer.convert_ids_to_tokens(int(logits.argmax()))
        right += choice == (CODE_TOKEN if numeric else TEXT_TOKEN)
    assert right == len(held_out)
