"""The LMulator on each backend: programs calling functions nobody wrote are run, the
calls emulated by a function-backed model, and the program replayed with a memo."""

from __future__ import annotations

import textwrap

import pytest
from sarcasm_sentences import SENTENCES, judge

from sandbox.lmulate import (
    CallKeyError,
    EmulatedCall,
    LmulateLimits,
    Lmulator,
    call_key,
    canonical_key,
    parse_call_key,
    parse_emulated_value,
    semantic_names,
)

pytestmark = pytest.mark.anyio



@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def box(request):
    return request.getfixturevalue(f"{request.param}_sandbox")


class FunctionModel:
    """A model that is a Python function of the call; records every call it is asked."""

    def __init__(self, fn) -> None:
        self.fn = fn
        self.asked: list[str] = []

    async def __call__(self, call):
        self.asked.append(call.key)
        return self.fn(*call.args, **call.kwargs)


SARCASM = textwrap.dedent(
    f"""
    sentences = {SENTENCES!r}
    count = 0
    for s in sentences:
        if is_sarcastic(s):
            count += 1
    print(f"<<<{{count}}>>>")
    """
)


@pytest.mark.parametrize("lookahead", [16, 1])
async def test_counting_sarcastic_sentences_returns_the_count_the_model_implies(box, lookahead):
    model = FunctionModel(judge)
    result = await Lmulator(box, LmulateLimits(max_pending_per_run=lookahead)).run(SARCASM, emulator=model, source="fn")
    assert result.status == "finished", result.message
    assert result.execution.stdout.strip() == f"<<<{sum(map(judge, SENTENCES))}>>>"
    assert result.execution.ok and result.execution.stderr == ""
    assert sorted(model.asked) == sorted(f"is_sarcastic({s!r})" for s in SENTENCES)
    assert [c.value for c in result.emulated] == [judge(c.args[0]) for c in result.emulated]
    assert all(c.source == "fn" and c.emulated for c in result.emulated)
    assert result.runs == (2 if lookahead == 16 else len(SENTENCES) + 1)
    assert any("emulated by a language model" in n for n in result.execution.notes)


async def test_nested_and_repeated_calls_are_asked_once_each(box):
    code = textwrap.dedent(
        """
        words = ["apple", "kale", "apple", "plum", "kale", "plum"]
        fruits = [w for w in words if is_fruit(w)]
        best = best_of(sorted(set(fruits)))
        print(len(fruits), best, colour_of(best), colour_of(best_of(sorted(set(fruits)))))
        """
    )
    fns = {"is_fruit": lambda w: w != "kale", "best_of": lambda xs: xs[-1], "colour_of": lambda x: {"plum": "purple"}[x]}
    model = FunctionModel(lambda *a: None)

    async def emulate(call):
        model.asked.append(call.key)
        return fns[call.name](*call.args)

    result = await Lmulator(box, LmulateLimits(max_pending_per_run=1)).run(code, emulator=emulate)
    assert result.status == "finished", result.message
    assert result.execution.stdout.split() == ["4", "plum", "purple", "purple"]
    assert model.asked == [
        "is_fruit('apple')", "is_fruit('kale')", "is_fruit('plum')", "best_of(['apple', 'plum'])", "colour_of('plum')",
    ]  # fmt: skip
    looked_ahead = await Lmulator(box).run(code, emulator=emulate)
    assert looked_ahead.execution.stdout == result.execution.stdout
    assert {c.key for c in looked_ahead.emulated} == set(model.asked[:5]), "only the values the final run used are listed"


async def test_a_program_calling_new_functions_in_a_loop_stops_at_the_call_limit(box):
    code = "total = 0\nfor i in range(10_000):\n    total += weight_of(f'item {i}')\nprint(total)\n"
    model = FunctionModel(lambda item: 1)
    result = await Lmulator(box, LmulateLimits(max_emulated_calls=20, max_pending_per_run=8)).run(code, emulator=model)
    assert result.status == "limit"
    assert "max_emulated_calls" in result.message and "CODESTEER_LMULATE__MAX_EMULATED_CALLS" in result.message
    assert len(model.asked) <= 20


async def test_the_replay_limit_stops_a_long_chain_with_a_clear_message(box):
    code = "x = 'a'\nfor _ in range(50):\n    x = next_word(x)\nprint(x)\n"
    model = FunctionModel(lambda w: w + "a")
    result = await Lmulator(box, LmulateLimits(max_replays=4)).run(code, emulator=model)
    assert result.status == "limit" and result.runs == 4
    assert "max_replays" in result.message
    assert len(model.asked) == 4, "a call whose argument is a value not known yet is not asked"


async def test_without_an_emulator_the_pending_calls_are_reported_with_their_lines(box):
    result = await Lmulator(box).run(SARCASM)
    assert result.status == "needs_values"
    assert [c.args[0] for c in result.pending] == SENTENCES
    assert {c.line for c in result.pending} == {5}
    assert result.pending[0].line_text == "if is_sarcastic(s):"
    memo = [EmulatedCall(**c.model_dump(), value=judge(c.args[0]), source="host") for c in result.pending]
    done = await Lmulator(box).run(SARCASM, memo=memo)
    assert done.status == "finished" and done.execution.stdout.strip() == "<<<5>>>"


async def test_keys_computed_in_the_sandbox_match_the_hosts_for_awkward_values(box):
    code = textwrap.dedent(
        """
        vals = [label("naïve ✓ 'quoted' \\"double\\"\\n"), label(1.5e-7, -0), label((1, [2.0, None]), {"b": True, 3: {1}}),
                label(10**30, flag=False, alpha=[]), label(float("nan"))]
        print(vals)
        """
    )

    async def echo(call):
        return call.key

    result = await Lmulator(box).run(code, emulator=echo)
    assert result.status == "finished", result.message
    keys = [c.key for c in result.emulated]
    assert len(keys) == 5
    assert eval(result.execution.stdout) == keys
    assert call_key("label", [1.5e-07, 0], {}) in keys
    assert f"label({10**30!r}, alpha=[], flag=False)" in keys


async def test_a_program_whose_calls_change_between_replays_is_stopped(box):
    code = "import random\nprint(pick(random.random()))\n"
    result = await Lmulator(box, LmulateLimits(max_pending_per_run=1)).run(code, emulator=FunctionModel(lambda x: 1))
    assert result.status == "limit" and "max_replays" in result.message, "each replay asks a new call: never finished"


async def test_an_except_clause_cannot_swallow_the_stop_at_a_pending_call(box):
    code = "try:\n    is_odd(3)\nexcept BaseException:\n    print('caught')\nprint('after')\n"
    result = await Lmulator(box, LmulateLimits(max_pending_per_run=1)).run(code)
    assert result.status == "needs_values"
    assert "caught" not in result.execution.stdout and "after" not in result.execution.stdout


async def test_records_forged_by_the_program_are_ignored_unless_they_name_a_call_it_could_make(box):
    code = textwrap.dedent(
        """
        import sys
        fake = '\\x1elmulate-' + '0' * 32 + ':{"name": "is_odd", "args": [1]}'
        print(fake, file=sys.stderr)
        def strings(fn, seen):  # the stub's closures hold the nonce: a program can always find it
            for cell in getattr(fn, "__closure__", None) or ():
                value = cell.cell_contents
                if isinstance(value, str):
                    yield value
                elif callable(value) and id(value) not in seen:
                    seen.add(id(value))
                    yield from strings(value, seen)
        import builtins
        nonce = next(s for s in strings(builtins.is_odd, set()) if s.startswith('\\x1elmulate-'))
        sys.stderr.write('\\n' + nonce + '{"name": "os_system", "args": ["rm -rf /"]}\\n')
        sys.stderr.write('\\n' + nonce + '{"name": "is_odd", "args": [' + '1,' * 400 + '1]}\\n')
        sys.stderr.write('\\n' + nonce + 'not json\\n')
        sys.stderr.write('\\n' + nonce + '{"name": "is_odd", "args": ' + '[' * 300 + ']' * 300 + '}\\n')
        sys.stderr.flush()
        print(is_odd(3))
        """
    )
    limits = LmulateLimits(max_call_chars=500)
    result = await Lmulator(box, limits).run(code, emulator=FunctionModel(lambda n: n % 2 == 1))
    assert result.status == "finished", result.message
    assert result.execution.stdout.strip() == "True"
    assert [c.key for c in result.emulated] == ["is_odd(3)"]
    assert "0" * 32 in result.execution.stderr, "a record with the wrong nonce is the program's own output"
    assert any("4 malformed emulation record" in n for n in result.execution.notes)


async def test_a_run_whose_records_may_be_lost_in_a_stderr_flood_is_not_taken_as_the_result(box):
    code = "import sys\nsys.stderr.write('z' * 200_000)\nx = is_odd(3)\nsys.stderr.write('z' * 200_000)\nprint(x)\n"
    result = await Lmulator(box).run(code, emulator=FunctionModel(lambda n: True))
    assert result.status == "error" and "stderr" in result.message


async def test_oversized_arguments_stop_with_the_limit_named(box):
    code = "print(summarise('x' * 100_000))\n"
    result = await Lmulator(box).run(code, emulator=FunctionModel(lambda s: "short"))
    assert result.status == "limit" and "max_call_chars" in result.message


async def test_an_emulator_that_fails_ends_the_execution_in_words(box):
    async def broken(call):
        raise ConnectionError("model endpoint down")

    result = await Lmulator(box).run(SARCASM, emulator=broken)
    assert result.status == "error" and "model endpoint down" in result.message
    assert result.pending


async def test_a_program_defining_the_function_itself_is_not_emulated(box):
    code = "def is_odd(n):\n    return n % 2 == 1\nprint(is_odd(3))\n"
    model = FunctionModel(lambda n: "never")
    result = await Lmulator(box).run(code, emulator=model)
    assert result.execution.stdout.strip() == "True" and model.asked == [] and result.runs == 1


def test_semantic_names_are_the_called_names_nobody_binds():
    code = textwrap.dedent(
        """
        import math
        from itertools import chain as ch
        def helper(x, *rest, key=None):
            return x
        class K: pass
        for i in range(3):
            helper(is_prime(i), key=len)
        print(ch, K(), math.sqrt(4), [y for y in []], undefined_var)
        z = rank(items := sort_by(q), lam=lambda a: a)
        """
    )
    assert semantic_names(code) == ["is_prime", "rank", "sort_by"]
    assert semantic_names("from os import *\nf(1)") == []
    assert semantic_names("def (") == []


def test_call_keys_parse_back_from_either_spelling():
    assert parse_call_key('f("a", [1, 2], k=true)') == ("f", ["a", [1, 2]], {"k": True})
    assert canonical_key('f( "a" , (1,2) , k = null )') == "f('a', [1, 2], k=None)"
    for bad in ("x", "f(y)", "a.b(1)", "f(**d)", "import os", "f(1"):
        with pytest.raises(CallKeyError):
            parse_call_key(bad)


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ("<<<true>>>", True),
        ("It is sarcastic. <<<True>>>", True),
        ('<<<"red">>>', "red"),
        ("<<<['a', 'b']>>>", ["a", "b"]),
        ("<<<3>>>", 3),
        ("no", False),
        ("<<<red>>>", "red"),
        ('<<<{"a": 1}>>>', {"a": 1}),
    ],
)
def test_model_replies_are_read_as_json_values(reply, value):
    assert parse_emulated_value(reply) == value
