"""Texts the server shows to a host model: its instructions, the run_code description and
the solve_with_codesteer prompt."""

from sandbox.packages import solver_listing

SERVER_INSTRUCTIONS = (
    "CodeSteer steers you between reasoning in text and computing in code on symbolic problems (arithmetic, "
    "puzzles, planning, constraints). Call steer_next(question) to start, answer the prompt it returns, send your "
    "whole answer back with steer_next(session_id, response), and repeat until done. run_code runs Python safely; "
    "with lmulate=true the program may call functions nobody wrote (is_sarcastic(s)), whose values a language "
    "model supplies (Chain of Code). check_symbolic says whether a program really searches or computes; "
    "check_answer verifies an answer."
)

SOLVE_WITH_CODESTEER = """\
Solve the question below with the CodeSteer tools of this server.

1. Call `steer_next` with `question` set to the question (and `task` if it is a SymBench task). It returns
   `session_id`, an `action` (code or text) and a `prompt`.
2. Answer the `prompt` yourself. When it asks for code, write ONE ```python block that computes the answer by
   search or symbolic computation (not by hand) and prints it as <<<answer>>>. When it asks for text, reason
   step by step and end with <<<answer>>>.
3. Call `steer_next` with `session_id` and `response` set to your whole answer. The server runs your code in a
   sandbox, analyses it and checks the answer, then returns the next `action` and `prompt`: follow it exactly
   (refine, switch between code and text, search instead of hard-coding).
4. Repeat step 3 until `done` is true. Then give `final_answer` as your answer, in the form <<<answer>>>.

Do not skip rounds or answer without the loop; do not hard-code answers in code. `run_code` runs extra code,
`check_answer` verifies an answer with a checker program you write.

Question:
{question}
"""


def run_code_description(output_chars: int) -> str:
    """run_code's description: what the sandbox offers and where its output is cut."""
    return (
        "Run a Python program in the sandbox (no network, no host files, bounded time, memory and output) and "
        "return its stdout, stderr, exit code, duration and whether it timed out or was truncated. "
        f"Importable besides the standard library: {solver_listing()}. "
        "Matplotlib figures come back as PNG images, whether saved with savefig, shown, or left open "
        "(named figure-<n>.png); other files the program writes come back as embedded resources, and `files` "
        "puts files of yours in its working directory first. "
        f"stdout and stderr are each cut to {output_chars} characters (first and last halves kept). "
        "Each call starts fresh, unless `session` is set (docker only): a new name starts a persistent session "
        "and the result's `session` is its handle; pass that handle to run in it again (nobody without the handle "
        "can reach it). A session keeps its state until it passes the idle or lifetime limit shown in "
        "codesteer://config. With lmulate=true the program may leave "
        "judgements (is this sentence sarcastic?) as calls to functions it does not define; a language model "
        "emulates them (yours, if lmulate.prompt asks you) and the values are listed in lmulate.emulated, marked "
        "as guessed rather than computed."
    )
