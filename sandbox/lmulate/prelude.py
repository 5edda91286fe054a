"""The program that actually runs: a prelude that installs the semantic functions, then
the model's program, unchanged, compiled as ``main.py`` (so its line numbers hold).

Each semantic function is installed in ``builtins``, so a definition in the program
always wins over it. A call whose key is in the memo returns the memo's value (a
copy). Any other call is reported as one line on file descriptor 2:
``\\n<nonce><json>\\n``, written at once (a run killed later still reports it). Then the
stub either stops the program (``os._exit``, which no ``except`` can catch) or, while
looking ahead, returns a placeholder so the program goes on and reveals more calls. A
run that met such a call ends with :data:`EXIT_PENDING`, so it is never taken as the
result even if the program flooded stderr past its cap and the records were cut. A
value read from the memo is reported by its position (``{"u": 3}``), a few bytes,
so the result lists only the values the final run used.

The nonce is fresh per run and unknown to whoever wrote the question, so no text the
program merely echoes can pass for a record. The program itself can read it (it runs in
the same interpreter); what it could forge is no more than a call it could make, and
the host validates every record as untrusted data (:func:`read_records`).
"""

from __future__ import annotations

import json
import re
import secrets

from pydantic import BaseModel, Field, ValidationError, field_validator

from .calls import JSONValue, call_key

_TEMPLATE = r'''
def __lm_install():
    import builtins, copy, json, math, os, sys
    nonce = {nonce!r}
    memo = {{k: (i, v) for i, (k, v) in enumerate(json.loads({memo!r}))}}
    max_new = {max_new}
    max_chars = {max_chars}
    seen = set()
    used = set()
    hits = [0]

    class Unknown(Exception):
        pass

    def plain(v, depth=0):
        if v is pending:
            raise Unknown
        if depth > 20:
            return repr(v)[:200]
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return int(v)
        if isinstance(v, float):
            return float(v) if math.isfinite(v) else repr(v)
        if isinstance(v, (list, tuple)):
            return [plain(x, depth + 1) for x in v]
        if isinstance(v, (set, frozenset)):
            return sorted((plain(x, depth + 1) for x in v), key=repr)
        if isinstance(v, dict):
            return {{str(k): plain(x, depth + 1) for k, x in v.items()}}
        for method in ("tolist", "item"):  # numpy scalars and arrays
            try:
                return plain(getattr(v, method)(), depth + 1)
            except Exception:
                pass
        return repr(v)[:1000]

    def key_of(name, args, kwargs):
        parts = [repr(a) for a in args] + ["%s=%r" % (k, v) for k, v in sorted(kwargs.items())]
        return "%s(%s)" % (name, ", ".join(parts))

    def emit(record):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        data = ("\n" + nonce + json.dumps(record) + "\n").encode()
        while data:
            data = data[os.write(2, data):]

    def stop():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit({exit_pending})

    def end():
        if seen:  # the run met calls without a value: say so even if their records were lost
            stop()

    consumed = [False]

    class Pending:
        """Stands for a value not emulated yet; the run it appears in is a look-ahead.
        Once one is used, later calls may depend on it: they are marked speculative."""
        def _use(self, *args, **kwargs):
            consumed[0] = True
            return self
        def __bool__(self): consumed[0] = True; return False
        def __len__(self): consumed[0] = True; return 0
        def __iter__(self): consumed[0] = True; return iter(())
        def __int__(self): consumed[0] = True; return 0
        def __index__(self): consumed[0] = True; return 0
        def __float__(self): consumed[0] = True; return 0.0
        def __str__(self): consumed[0] = True; return "<pending>"
        __repr__ = __format__ = __str__
        def __hash__(self): return 0
        def __eq__(self, other): consumed[0] = True; return other is self
        def __lt__(self, other): consumed[0] = True; return False
        __le__ = __gt__ = __ge__ = __lt__
        def __getattr__(self, name): consumed[0] = True; return self
        __call__ = __getitem__ = __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _use
        __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _use
        __neg__ = __pos__ = __abs__ = __and__ = __or__ = __rand__ = __ror__ = _use
    pending = Pending()

    def make(name):
        def stub(*args, **kwargs):
            try:
                a = json.loads(json.dumps(plain(list(args))))
                k = json.loads(json.dumps({{str(x): plain(y) for x, y in kwargs.items()}}))
            except Unknown:  # an argument is itself a value not known yet: nothing more to learn
                stop()
            key = key_of(name, a, k)
            if key in memo:
                index, value = memo[key]
                if index not in used:
                    used.add(index)
                    emit({{"u": index}})
                return copy.deepcopy(value)
            frame, line = sys._getframe(1), None
            while frame is not None:
                if frame.f_code.co_filename == "main.py":
                    line = frame.f_lineno
                    break
                frame = frame.f_back
            record = {{"name": name, "args": a, "kwargs": k, "line": line, "spec": consumed[0]}}
            size = len(json.dumps(record))
            if size > max_chars:
                emit({{"name": name, "too_big": size, "line": line}})
                stop()
            hits[0] += 1
            if key not in seen:
                seen.add(key)
                emit(record)
            if len(seen) >= max_new or hits[0] > 4 * max_new:
                stop()
            return pending
        stub.__name__ = stub.__qualname__ = name
        return stub

    for name in json.loads({names!r}):
        setattr(builtins, name, make(name))
    return end


__lm_end = __lm_install()
del __lm_install
__lm_code = compile({code!r}, "main.py", "exec")
try:
    exec(__lm_code, {{"__name__": "__main__", "__builtins__": __builtins__}})
except SystemExit:
    __lm_end()
    raise
except BaseException as __lm_exc:
    import sys as __lm_sys, traceback as __lm_tb
    __lm_tb.print_exception(type(__lm_exc), __lm_exc, __lm_exc.__traceback__.tb_next)
    __lm_end()
    __lm_sys.exit(1)
__lm_end()
'''


def build_program(code: str, names: list[str], memo: dict[str, JSONValue], *, nonce: str, max_new: int, max_chars: int) -> str:
    """The prelude around ``code``: ``names`` installed as semantic functions answering
    from ``memo``; at most ``max_new`` unknown calls are reported before it stops."""
    return _TEMPLATE.format(
        nonce=nonce,
        memo=json.dumps(list(memo.items()), ensure_ascii=False),
        exit_pending=EXIT_PENDING,
        max_new=max(1, int(max_new)),
        max_chars=int(max_chars),
        names=json.dumps(names),
        code=code,
    )


EXIT_PENDING = 113
"""Exit status of a run that met calls without a value (whatever else it did)."""


def new_nonce() -> str:
    return "\x1elmulate-" + secrets.token_hex(16) + ":"


class Record(BaseModel):
    """One reported call, as read from the sandbox: untrusted, so validated."""

    name: str = Field(max_length=100)
    args: list[JSONValue] = Field(default_factory=list)
    kwargs: dict[str, JSONValue] = Field(default_factory=dict)
    line: int | None = Field(None, ge=0, le=10_000_000)
    too_big: int | None = Field(None, ge=0)
    spec: bool = False

    @field_validator("name")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError("not an identifier")
        return value

    @property
    def key(self) -> str:
        return call_key(self.name, self.args, self.kwargs)


MAX_DEPTH = 24
"""Records nested deeper are rejected (the stub itself writes at most 20 levels)."""


def _depth(value: object) -> int:
    """How deeply ``value`` (decoded JSON) nests lists and objects, without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


class Reading(BaseModel):
    records: list[Record] = Field(default_factory=list)
    used: list[int] = Field(default_factory=list, description="positions in the memo of the values the run read")
    rejected: int = Field(0, description="lines carrying the nonce that were not a valid record")
    stderr: str = Field("", description="stderr with every record line removed")


def read_records(
    stderr: str, nonce: str, *, names: list[str], max_records: int, max_chars: int, max_used: int = 10_000
) -> Reading:
    """The records in ``stderr`` that carry ``nonce``; each is JSON of bounded size naming
    one of ``names``, else it is counted in ``rejected`` and ignored. At most
    ``max_records`` calls are kept; ``used`` are positions below ``max_used``. The returned stderr has the record lines removed."""
    pattern = re.compile("\n?" + re.escape(nonce) + r"([^\n]*)\n?")
    records: list[Record] = []
    used: dict[int, None] = {}
    rejected = 0
    allowed = set(names)
    for match in pattern.finditer(stderr):
        raw = match.group(1)
        if len(raw) > max_chars + 200:
            rejected += 1
            continue
        try:
            data = json.loads(raw)
            if isinstance(data, dict) and set(data) == {"u"}:
                if isinstance(data["u"], int) and 0 <= data["u"] < max_used:
                    used[data["u"]] = None
                else:
                    rejected += 1
                continue
            if len(records) >= max_records:
                rejected += 1
                continue
            if _depth(data) > MAX_DEPTH:
                raise ValueError("nested too deep")
            record = Record.model_validate(data)
            record.key  # noqa: B018  # a key that cannot be written is a record that cannot be used
        except (ValueError, ValidationError, RecursionError):
            rejected += 1
            continue
        if record.name not in allowed:
            rejected += 1
            continue
        records.append(record)
    # A record is exactly what the stub wrote ("\n" + nonce + json + "\n"): removing it gives back the
    # program's own stream byte for byte; the loose pattern catches records cut at the output limit.
    cleaned = re.sub("\n" + re.escape(nonce) + r"[^\n]*\n", "", stderr)
    cleaned = pattern.sub("", cleaned)
    return Reading(records=records, used=list(used), rejected=rejected, stderr=cleaned)
