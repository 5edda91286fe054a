"""Deterministic stand-ins for the original's GPT-4o judge.

The original benchmark asked GPT-4o whether a model's answer matched the gold for
BIG-Bench-Hard, GSM-Hard and MATH. These helpers make the same decisions with code:
an option letter, a yes/no, a number within a stated tolerance, a MATH answer compared
symbolically. Where a model judge could decide differently, the task's ``modes_note``
says so.

sympy is an optional dependency (extra ``symbench``); it is imported only by the MATH
comparison, inside the function that needs it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .extract import MAX_NUMBER_DIGITS, check_number_size, extract_answer, strip_math_delimiters, strip_wrapping

JUDGE_REL_TOL = 1e-3
"""The original judge prompt's rule: two values are the same when their relative
difference is below 1e-3. Faithful mode applies it to numeric answers (GSM-Hard, MATH)."""

STRICT_REL_TOL = 1e-6
"""Strict mode's relative tolerance for numeric answers (GSM-Hard, MATH, new operator,
pooling): float noise passes, a different value does not; roundings are judged by
ROUNDED_MIN_SIGNIFICANT instead."""

ROUNDED_MIN_SIGNIFICANT = 3
"""A decimal written with at least this many significant digits is accepted when it is
the gold correctly rounded to the places written (e.g. 12.33 for 37/3)."""

SYMPY_MAX_CHARS = 400
"""Answers longer than this are not handed to sympy (a model's prose is not an
expression, and a huge expression can make simplify run for minutes); they are compared
as normalised strings only."""


# --------------------------------------------------------------------------- options


_OPTION_LINE = re.compile(r"^\(([A-Z])\)\s*(.+?)\s*$", re.MULTILINE)


def question_options(question: str) -> dict[str, str]:
    """The lettered options of a BBH question: ``{'A': '12/11/1937', ...}``."""
    return {m.group(1): m.group(2) for m in _OPTION_LINE.finditer(question)}


def parse_option(answer: str | None, options: dict[str, str] | None = None) -> str | None:
    """The option letter an answer picks, or None when it picks none, or several.

    Accepts ``(B)``, ``B``, ``B)``, ``(B) 12/25/1937``, ``Option B``, ``B.`` and, when
    ``options`` are given, the text of an option alone (``12/25/1937``). An answer that
    names two different options (``A or B``, ``(A), (B)``, ``A (or possibly C)``) picks
    none: a hedge is not an answer.
    """
    if answer is None:
        return None
    s = strip_wrapping(answer).strip()
    s = re.sub(r"^(?:the\s+)?(?:(?:final|correct)\s+)?(?:answer|option|choice)\s*(?:is\s*)?[:=]?\s*", "", s, flags=re.IGNORECASE)
    s = s.rstrip(" .!")
    letters = set(options) if options else set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    whole = re.fullmatch(r"\(?\s*([A-Z])\s*\)?", s)
    if whole and whole.group(1) in letters:
        return whole.group(1)
    lead = re.match(r"^\(?\s*([A-Z])\s*(?:\)|[.:]|(?=\s))\s*(.*)$", s, re.DOTALL)
    if lead and lead.group(1) in letters and options and _norm_option_text(lead.group(2)) == _norm_option_text(options[lead.group(1)]):
        return lead.group(1)
    if options:
        wanted = _norm_option_text(s)
        for letter, text in options.items():
            if _norm_option_text(text) == wanted:
                return letter
    named = _options_named(s, letters, options)
    return named.pop() if len(named) == 1 else None


# What follows the article "A" or the pronoun "I" (not a conjunction or verb that would
# make it an option letter: "A or C", "A is right").
_ARTICLE_NEXT = re.compile(r"\s+(?!(?:or|and|nor|but|then|is|was|seems|too|also|maybe|possibly|perhaps)\b)[a-z]")


def _options_named(s: str, letters: set[str], options: dict[str, str] | None) -> set[str]:
    """Every option an answer text names: bracketed letters, bare capital letters (not the
    article 'A' or the pronoun 'I' before a word) and options' full texts."""
    named = {m for m in re.findall(r"\(\s*([A-Z])\s*\)", s) if m in letters}
    for m in re.finditer(r"(?<![A-Za-z0-9'])([A-Z])(?![A-Za-z0-9'])", s):
        letter = m.group(1)
        if letter in ("A", "I") and _ARTICLE_NEXT.match(s[m.end() :]):
            continue
        if letter in letters:
            named.add(letter)
    if options:
        flat = _norm_option_text(s)
        for letter, text in options.items():
            if len(_norm_option_text(text)) >= 3 and _norm_option_text(text) in flat:
                named.add(letter)
    return named


def _norm_option_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip(".").lower())


# --------------------------------------------------------------------------- yes / no


_YES = {"yes", "true", "y"}
_NO = {"no", "false", "n"}
_NEGATED = re.compile(r"\b(not|n't|never|isn't)\s+(yes|no|true|false)\b")


def parse_yes_no(answer: str | None) -> bool | None:
    """True for yes/true, False for no/false, None otherwise.

    A negation is read as one (``not true`` is No, ``not false`` Yes); an answer that says
    both (``Yes or No``, ``true (or possibly false)``) says neither.
    """
    if answer is None:
        return None
    s = strip_wrapping(answer).strip().lower().strip(".! ")
    if s in _YES:
        return True
    if s in _NO:
        return False
    s = s.replace("n't", " n't")
    said: set[bool] = set()
    for m in _NEGATED.finditer(s):
        said.add(m.group(2) not in ("yes", "true"))
    rest = _NEGATED.sub(" ", s)
    for word in re.findall(r"[a-z]+", rest):
        if word in ("yes", "true"):
            said.add(True)
        elif word in ("no", "false"):
            said.add(False)
    return said.pop() if len(said) == 1 else None


# --------------------------------------------------------------------------- numbers

_ANSWER_NUMBER = re.compile(
    r"[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?(?:\s*/\s*[-+]?\d+(?:\.\d+)?(?![\d.]))?"
    r"|[-+]?\.\d+(?:[eE][-+]?\d+)?"
)


def _number_text(text: str) -> str:
    """The answer with what only spells a number differently undone: ``$``, ``\\frac{a}{b}``,
    a spaced or Unicode minus, ``_`` or thin-space digit groups."""
    s = strip_math_delimiters(text).replace("$", "").replace("\\!", "").replace("\\,", "")
    s = re.sub(r"\\(?:d|t)?frac\{([^{}]+)\}\{([^{}]+)\}", r"\1/\2", s)
    s = s.replace("−", "-").replace("–", "-")
    s = re.sub(r"(?<![\w)\]])([-+])\s+(?=\d)", r"\1", s)
    s = re.sub(r"(?<=\d)[_\u2009\u202f'](?=\d{3}(?!\d))", "", s)
    return s


def _to_number(written: str) -> Fraction:
    """``written`` (as matched by _ANSWER_NUMBER) as an exact Fraction. ValueError when it is
    too large to read (MAX_NUMBER_DIGITS) or a division by zero."""
    body = written.replace(",", "").replace(" ", "")
    num, slash, den = body.partition("/")
    check_number_size(num)
    check_number_size(den)
    try:
        value = Fraction(num)
        if slash:
            value /= Fraction(den)
    except ZeroDivisionError:
        raise ValueError(f"{written!r} divides by zero") from None
    return value


def answer_numbers(text: str | None) -> list[tuple[Fraction, str]]:
    """Every number the answer writes, in order, as (exact value, digits as written).

    ``1,234`` is one number, ``1, 234`` two; ``3/4`` one. Numbers too large to read
    (MAX_NUMBER_DIGITS) or dividing by zero are skipped.
    """
    if text is None:
        return []
    found = []
    for m in _ANSWER_NUMBER.finditer(_number_text(text)):
        written = m.group(0).replace(" ", "")
        try:
            found.append((_to_number(written), written.replace(",", "") if re.search(r",\d{3}", written) else written))
        except ValueError:
            continue
    return found


def single_number(text: str | None) -> tuple[Fraction, str]:
    """The one number an answer gives, as (exact value, digits as written).

    ValueError, saying why, when it gives none, or several different ones (``69 or 68``,
    ``3431581 or 3431580``): a hedge is not an answer. The same value written twice
    (``12 = 12.0``) counts once.
    """
    if text is None:
        raise ValueError("no answer")
    found = answer_numbers(text)
    if not found:
        raw = _ANSWER_NUMBER.findall(_number_text(text))
        raise ValueError("a number too large to read or a division by zero" if raw else "no number")
    values = {value for value, _ in found}
    if len(values) > 1:
        shown = ", ".join(w for _, w in found[:4])
        raise ValueError(f"several different numbers ({shown}); give exactly one")
    return found[-1]


def parse_final_number(text: str | None) -> tuple[Fraction, str] | None:
    """The answer's number as an exact Fraction plus the digits as written (the original
    judge's reading, kept for the faithful mode).

    Reads ``a/b`` fractions, thousands separators, ``$``, ``%`` and trailing units; when
    the text holds several numbers (``x = 3, so 6``), the last one is the answer.
    Returns None when there is no number. Strict scoring uses ``single_number``.
    """
    found = answer_numbers(text)
    return found[-1] if found else None



_EXACT_INTEGERS = 2**53


def numbers_match(value: Fraction | float, gold: Fraction | float, *, rel_tol: float, written: str | None = None) -> bool:
    """Whether ``value`` equals ``gold`` within ``rel_tol`` (relative; absolute 1e-9 near 0).

    Two whole numbers below 2**53 must be equal: the tolerance is for float noise and
    decimals, never for counts. Values beyond a float's range compare exactly.

    When ``written`` (the digits as the answer wrote them) has at least
    ROUNDED_MIN_SIGNIFICANT significant digits, a correct rounding of the gold to the
    places written also matches.
    """
    try:
        v, g = float(value), float(gold)
    except OverflowError:
        return Fraction(value) == Fraction(gold)
    if math.isnan(v) or math.isnan(g) or math.isinf(v) or math.isinf(g):
        return False
    if v.is_integer() and g.is_integer() and abs(g) < _EXACT_INTEGERS:
        # Two whole numbers a float represents exactly: a tolerance would only let a
        # large wrong count through (1000001 for 1000000).
        return Fraction(value) == Fraction(gold)
    if abs(v - g) <= max(rel_tol * max(abs(g), abs(v)), 1e-9):
        return True
    return written is not None and is_rounding_of(written, gold)


def is_rounding_of(written: str, gold: Fraction | float) -> bool:
    """Whether the decimal ``written`` is ``gold`` rounded to the places it shows."""
    try:
        d = Decimal(written.replace(",", "").rstrip("."))
    except InvalidOperation:
        return False
    if not d.is_finite():
        return False
    _sign, digits, exponent = d.as_tuple()
    significant = len("".join(map(str, digits)).lstrip("0"))
    if significant < ROUNDED_MIN_SIGNIFICANT or not isinstance(exponent, int) or exponent >= 0 or exponent < -MAX_NUMBER_DIGITS:
        return False
    half_ulp = Fraction(1, 2) * Fraction(10) ** exponent
    g = gold if isinstance(gold, Fraction) else Fraction(str(gold))
    return abs(Fraction(d) - g) <= half_ulp


# --------------------------------------------------------------------------- MATH answers


def last_boxed(text: str | None) -> str | None:
    """The content of the last ``\\boxed{...}`` (or ``\\fbox{...}``) in ``text``, braces matched."""
    if not text:
        return None
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    rest = text[start:]
    brace = rest.find("{")
    if brace < 0:
        return None
    if rest[len("\\boxed") : brace].strip() and not rest.startswith("\\fbox"):
        simple = re.match(r"\\boxed\s+(\S+)", rest)
        return simple.group(1) if simple else None
    depth = 0
    for i in range(brace, len(rest)):
        if rest[i] == "{":
            depth += 1
        elif rest[i] == "}":
            depth -= 1
            if depth == 0:
                return rest[brace + 1 : i]
    return None


def math_answer_text(response: str | None) -> str | None:
    """What a response answers: the last ``<<<...>>>``, else the last boxed value, else
    the last non-empty line. A boxed value inside the marked answer is unwrapped."""
    if response is None:
        return None
    marked = extract_answer(response)
    if marked is not None:
        inner = last_boxed(marked)
        return inner if inner is not None else marked
    boxed = last_boxed(response)
    if boxed is not None:
        return boxed
    lines = [ln.strip() for ln in response.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else None


_UNIT_WORDS = (
    r"units?|square\s+units?|sq\.?\s*units?|cubic\s+units?|inch(?:es)?|feet|foot|ft|cm|centimeters?|"
    r"meters?|m|km|miles?|yards?|degrees?|deg|radians?|dollars?|cents?|ways|days?|hours?|minutes?|"
    r"seconds?|points?|sq\s*ft|square\s+(?:feet|inches|centimeters|meters|miles|yards)|"
    r"cubic\s+(?:feet|inches|centimeters|meters)|pounds?|students?|people|numbers?|integers?"
)


def normalize_math(text: str) -> str:
    """A MATH answer reduced to a canonical string (Hendrycks-style): no ``\\left``,
    ``\\!``, spacing, ``$``, degree marks, ``\\text{units}``, ``x =`` prefixes;
    ``\\dfrac``/``\\tfrac`` -> ``\\frac``; ``\\frac34`` -> ``\\frac{3}{4}``; ``0.5`` kept."""
    s = strip_wrapping(text)
    s = s.replace("\n", " ").replace("\\\\", "\\")
    s = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b", "", s)
    s = s.replace("\\$", "")
    s = re.sub(r"\\[!,;: ]", "", s).replace("~", "").replace("$", "")
    s = re.sub(r"\\pi(?![a-zA-Z])", "π", s)
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    s = re.sub(r"\^\s*\{?\s*\\circ\s*\}?", "", s).replace("°", "").replace("\\circ", "")
    s = s.replace("\\%", "").replace("%", "")
    s = re.sub(r"\\(?:text|textbf|mbox|mathrm)\{\s*(" + _UNIT_WORDS + r")\s*\}", "", s, flags=re.IGNORECASE)
    s = re.sub(r"(?<=[\d}])\s*\\(?:text|mbox|mathrm)\{\s*[a-zA-Z][a-zA-Z .]*\}\s*$", "", s)
    s = re.sub(r"\\(?:text|textbf|mbox|mathrm)\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"(?<=[\d}\s])\s*(?:" + _UNIT_WORDS + r")\s*(?:\^\s*\{?\s*[23]\s*\}?)?\s*$", "", s, flags=re.IGNORECASE)
    s = re.sub(r"^\s*[a-zA-Z]\s*(?:\([a-z]\))?\s*=\s*(?=[^=]+$)", "", s)
    s = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\s*(\d)\s*\{", r"\\frac{\1}{", s)
    s = re.sub(r"\\frac\s*\{([^{}]+)\}\s*(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\{([^{}]+)\}(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\sqrt(\d+)", r"\\sqrt{\1}", s)
    s = re.sub(r"\s+", "", s)
    s = s.rstrip(".")
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    if re.fullmatch(r"-?\d+\.0+", s):
        s = s.split(".")[0]
    return s


def latex_to_sympy_source(s: str) -> str:
    """A normalised LaTeX-ish answer rewritten as sympy source (``\\frac{a}{b}`` ->
    ``((a)/(b))``, ``\\sqrt[3]{x}`` -> ``((x)**(1/(3)))``, ``\\pi`` -> ``pi``, ``^`` -> ``**``).
    Raises ValueError for what is not an expression (words, sets, inequalities)."""
    out = s
    out = re.sub(r"(\d)\\frac", r"\1+\\frac", out) if re.fullmatch(r"\d+\\frac\{\d+\}\{\d+\}", out) else out
    for _ in range(12):
        new = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", out)
        new = re.sub(r"\\sqrt\[([^\[\]{}]*)\]\{([^{}]*)\}", r"((\2)**(1/(\1)))", new)
        new = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", new)
        new = re.sub(r"\\binom\{([^{}]*)\}\{([^{}]*)\}", r"binomial(\1,\2)", new)
        if new == out:
            break
        out = new
    out = re.sub(r"\\sqrt(\w)", r"sqrt(\1)", out)
    out = out.replace("\\pi", "(pi)").replace("π", "(pi)")
    out = re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", out) if re.fullmatch(r"[\d,./()]+", out) else out
    out = out.replace("\\cdot", "*").replace("\\times", "*").replace("\\div", "/")
    out = out.replace("{", "(").replace("}", ")").replace("^", "**")
    out = re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", out) if "(" not in out else out
    if "\\" in out or re.search(r"[<>=]|\b(?:and|or|if)\b", out) or re.search(r"[a-oq-zA-Z]{3,}", out.replace("sqrt", "").replace("pi", "").replace("binomial", "")):
        raise ValueError(f"not an expression: {s[:60]!r}")
    return out


SYMPY_MAX_EXPONENT = 1000
"""Largest power or factorial argument handed to sympy; ``10**10**10`` or ``100000!`` would
make it compute for minutes, so such an answer is refused before anything is evaluated."""


def _sympy_value(source: str) -> Any:
    """``source`` parsed and evaluated by sympy, after checking unevaluated that no power or
    factorial in it is larger than SYMPY_MAX_EXPONENT (ValueError otherwise)."""
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = standard_transformations + (implicit_multiplication_application, convert_xor)
    for number in re.findall(r"\d[\d.]*(?:[eE][-+]?\d+)?", source):
        check_number_size(number)  # 1e9999999 becomes a float sympy computes with for minutes
    # The factorial notation is evaluated while parsing, even unevaluated: bound it first.
    if any(int(n) > SYMPY_MAX_EXPONENT for n in re.findall(r"(\d{1,12})\s*\)?\s*!", source)) or re.search(r"\d{13}\s*!|\)\s*!", source):
        raise ValueError(f"a factorial above {SYMPY_MAX_EXPONENT}! or of an expression")
    shape = parse_expr(source, transformations=transformations, evaluate=False)
    for node in sympy.preorder_traversal(shape):
        if isinstance(node, sympy.Pow):
            limited = node.exp
        elif isinstance(node, (sympy.factorial, sympy.factorial2, sympy.gamma)):
            limited = node.args[0]
        else:
            continue
        if limited.has(sympy.Pow, sympy.factorial, sympy.factorial2, sympy.gamma) and not limited.is_Rational:
            raise ValueError("a power or factorial inside an exponent")
        numbers = [abs(n) for n in limited.atoms(sympy.Number)]
        if any(n > SYMPY_MAX_EXPONENT for n in numbers):
            raise ValueError(f"an exponent or factorial above {SYMPY_MAX_EXPONENT}")
    return parse_expr(source, transformations=transformations, evaluate=True)


def _split_top_level(s: str) -> list[str] | None:
    """``(a,b)`` or ``a,b`` split at top-level commas; None when there are none."""
    body = s
    if len(s) >= 2 and s[0] in "([" and s[-1] in ")]":
        body = s[1:-1]
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts if len(parts) > 1 else None


def math_equivalent(gold: str, answer: str, *, rel_tol: float = JUDGE_REL_TOL) -> tuple[bool, str]:
    """Whether a MATH answer equals the gold, and how that was decided.

    Order: equal normalised strings; tuples element by element; exact sympy equality
    (``simplify(a - b) == 0``); numeric agreement within ``rel_tol`` or as a correct
    rounding (the original prompt asked for decimals: ``<<<123.42>>>``). Needs sympy for
    all but the string comparison; without it, the reason says to install the extra.
    """
    g, a = normalize_math(gold), normalize_math(answer)
    if not a:
        return False, "empty answer"
    if g == a:
        return True, "same normalised answer"
    g_parts, a_parts = _split_top_level(g), _split_top_level(a)
    if g_parts is not None and not re.fullmatch(r"-?\d{1,3}(?:,\d{3})+", g):
        if a_parts is None or len(a_parts) != len(g_parts):
            return False, f"expected {len(g_parts)} comma-separated values"
        for gp, ap in zip(g_parts, a_parts):
            ok, why = math_equivalent(gp, ap, rel_tol=rel_tol)
            if not ok:
                return False, f"component {ap!r} vs {gp!r}: {why}"
        return True, "every component matches"
    if len(g) > SYMPY_MAX_CHARS or len(a) > SYMPY_MAX_CHARS:
        return False, "different normalised answers (too long to compare symbolically)"
    try:
        import sympy
    except ImportError:  # pragma: no cover - depends on the environment
        return False, "different normalised answers; install the 'symbench' extra (sympy) to compare values"
    try:
        gv = _sympy_value(latex_to_sympy_source(g))
        av = _sympy_value(latex_to_sympy_source(a))
    except Exception as exc:  # noqa: BLE001 - sympy raises many kinds on bad input
        return False, f"different answers that are not both expressions ({type(exc).__name__})"
    try:
        return _compare_values(gv, av, a, rel_tol, sympy)
    except Exception as exc:  # noqa: BLE001 - a tuple, nan, zoo...: values that cannot be compared are not equal
        return False, f"values that cannot be compared ({type(exc).__name__})"


def _compare_values(gv: Any, av: Any, written_answer: str, rel_tol: float, sympy: Any) -> tuple[bool, str]:
    try:
        if sympy.simplify(gv - av) == 0:
            return True, "symbolically equal"
    except Exception:  # noqa: BLE001, S110 - simplify can fail on odd input; the numeric comparison below decides
        pass
    try:
        gf, af = complex(sympy.N(gv, 30)), complex(sympy.N(av, 30))
    except (TypeError, ValueError, AttributeError):
        return False, "not equal, and not both numbers"
    if not all(math.isfinite(x) for x in (gf.real, gf.imag, af.real, af.imag)):
        return False, "not equal, and not both finite numbers"
    if abs(gf.imag) > 1e-12 or abs(af.imag) > 1e-12:
        return (abs(gf - af) <= rel_tol * max(abs(gf), 1e-12)), "complex values compared"
    a = written_answer
    written = a if re.fullmatch(r"-?\d+\.\d+", a) else None
    gold_exact = _exact_fraction(gv, sympy)
    if numbers_match(Fraction(af.real) if written is None else Fraction(written), gold_exact if gold_exact is not None else gf.real, rel_tol=rel_tol, written=written):
        return True, f"numerically equal (relative tolerance {rel_tol:g} or a correct rounding)"
    return False, f"{af.real:.10g} is not {gf.real:.10g}"


def _exact_fraction(value: Any, sympy: Any) -> Fraction | None:
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return None


def flatten(values: Iterable[Any]) -> list[Any]:
    """A nested list flattened in row-major order."""
    out: list[Any] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(flatten(v))
        else:
            out.append(v)
    return out
