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

from .extract import extract_answer, strip_wrapping

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
    """The option letter an answer picks, or None when it picks none (or several).

    Accepts ``(B)``, ``B``, ``B)``, ``(B) 12/25/1937``, ``Option B``, and, when
    ``options`` are given, the text of an option alone (``12/25/1937``).
    """
    if answer is None:
        return None
    s = strip_wrapping(answer).strip()
    s = re.sub(r"^(?:the\s+)?(?:answer|option|choice)\s*(?:is\s*)?[:=]?\s*", "", s, flags=re.IGNORECASE)
    letters = set(options) if options else set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    lead = re.match(r"^\(?\s*([A-Z])\s*\)?(?=$|[\s.,:;)])", s)
    if lead and lead.group(1) in letters:
        return lead.group(1)
    if options:
        wanted = _norm_option_text(s)
        for letter, text in options.items():
            if _norm_option_text(text) == wanted:
                return letter
    marked = {m for m in re.findall(r"\(([A-Z])\)", s) if m in letters}
    if len(marked) == 1:
        return marked.pop()
    return None


def _norm_option_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip(".").lower())


# --------------------------------------------------------------------------- yes / no


_YES = {"yes", "true", "y"}
_NO = {"no", "false", "n"}


def parse_yes_no(answer: str | None) -> bool | None:
    """True for yes/true, False for no/false, None otherwise (or when both appear)."""
    if answer is None:
        return None
    s = strip_wrapping(answer).strip().lower().strip(".!")
    if s in _YES:
        return True
    if s in _NO:
        return False
    words = set(re.findall(r"[a-z]+", s))
    said_yes, said_no = bool(words & {"yes", "true"}), bool(words & {"no", "false"})
    if said_yes != said_no:
        return said_yes
    return None


# --------------------------------------------------------------------------- numbers


_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def parse_final_number(text: str | None) -> tuple[Fraction, str] | None:
    """The answer's number as an exact Fraction plus the digits as written.

    Reads ``a/b`` fractions, thousands separators, ``$``, ``%`` and trailing units; when
    the text holds several numbers (``x = 3, so 6``), the last one is the answer.
    Returns None when there is no number.
    """
    if text is None:
        return None
    s = strip_wrapping(text).replace("$", "").replace("\\!", "")
    s = re.sub(r"\\(?:d|t)?frac\{([^{}]+)\}\{([^{}]+)\}", r"\1/\2", s)
    frac = re.findall(r"([-+]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)(?![\d.])", s)
    plain = _PLAIN_NUMBER.findall(s)
    if frac and plain and plain[-1].replace(",", "") == frac[-1][1]:
        num, den = frac[-1]
        try:
            return Fraction(num) / Fraction(den), f"{num}/{den}"
        except ZeroDivisionError:
            return None
    if not plain:
        return None
    written = plain[-1]
    digits = written.replace(",", "") if _is_thousands(written) else written.split(",")[-1]
    try:
        return Fraction(digits), digits
    except (ValueError, ZeroDivisionError):
        return None


def _is_thousands(written: str) -> bool:
    return "," not in written or bool(re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", written))


_EXACT_INTEGERS = 2**53


def numbers_match(value: Fraction | float, gold: Fraction | float, *, rel_tol: float, written: str | None = None) -> bool:
    """Whether ``value`` equals ``gold`` within ``rel_tol`` (relative; absolute 1e-9 near 0).

    Two whole numbers below 2**53 must be equal: the tolerance is for float noise and
    decimals, never for counts.

    When ``written`` (the digits as the answer wrote them) has at least
    ROUNDED_MIN_SIGNIFICANT significant digits, a correct rounding of the gold to the
    places written also matches.
    """
    v, g = float(value), float(gold)
    if math.isnan(v) or math.isnan(g):
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
        d = Decimal(written.replace(",", ""))
    except InvalidOperation:
        return False
    if not d.is_finite():
        return False
    _sign, digits, exponent = d.as_tuple()
    significant = len("".join(map(str, digits)).lstrip("0"))
    if significant < ROUNDED_MIN_SIGNIFICANT or not isinstance(exponent, int) or exponent >= 0:
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


def _sympy_value(source: str) -> Any:
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = standard_transformations + (implicit_multiplication_application, convert_xor)
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
        if sympy.simplify(gv - av) == 0:
            return True, "symbolically equal"
    except Exception:  # noqa: BLE001, S110 - simplify can fail on odd input; the numeric comparison below decides
        pass
    try:
        gf, af = complex(sympy.N(gv, 30)), complex(sympy.N(av, 30))
    except (TypeError, ValueError):
        return False, "not equal, and not both numbers"
    if abs(gf.imag) > 1e-12 or abs(af.imag) > 1e-12:
        return (abs(gf - af) <= rel_tol * max(abs(gf), 1e-12)), "complex values compared"
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
