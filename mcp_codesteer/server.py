"""The MCP layer: five tools, a prompt and three resources over ``CodeSteer``.

Thin on purpose: each tool validates, calls the service, shapes the output. Everything a
model must read is in the structured result (some hosts pass only structuredContent on).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.streamable_http import MCP_SESSION_ID_HEADER
from mcp.types import (
    CallToolResult,
    EmbeddedResource,
    ImageContent,
    InputRequiredResult,
    TextContent,
    ToolAnnotations,
)
from pydantic import Field

from checkers import analyze_code

from . import __version__
from .lmulation import run_code_lmulated, steering_sampler, summarise
from .prompts import SERVER_INSTRUCTIONS, SOLVE_WITH_CODESTEER, run_code_description
from .settings import Settings
from .steering import CodeSteer, InputError
from .file_content import file_content
from .tool_errors import CodeSteerServer
from .tool_types import CheckAnswerResult, CheckSymbolicResult, CloseSessionResult, RunCodeResult, SteerResult


def client_of(ctx: Context) -> str:
    """Which client a request comes from, for the per-client run_code session limit: the
    transport's MCP session where there is one (HTTP clients that did the handshake);
    otherwise every request counts as the one client "local" (stdio, in-memory, and
    stateless HTTP, which carries no connection). Keeping clients' sessions apart does
    not rest on this: session handles are unguessable (sandbox/session_handles.py)."""
    headers = ctx.headers
    session_id = headers.get(MCP_SESSION_ID_HEADER) if headers is not None else None
    return f"http:{session_id}" if session_id else "local"


def build_server(settings: Settings | None = None, *, app: CodeSteer | None = None) -> MCPServer:
    """The MCP server for ``settings`` (or an already built ``app``, e.g. with a mock guide)."""
    settings = settings or Settings()
    app = app or CodeSteer(settings)

    @asynccontextmanager
    async def lifespan(_server: MCPServer) -> AsyncIterator[CodeSteer]:
        await app.start()
        try:
            yield app
        finally:
            await app.aclose()

    server = CodeSteerServer(
        "mcp-codesteer",
        title="CodeSteer",
        instructions=SERVER_INSTRUCTIONS,
        version=__version__,
        lifespan=lifespan,
        log_level=settings.log_level,
    )

    @server.tool(
        annotations=ToolAnnotations(title="Steer the next step", read_only_hint=False, open_world_hint=False),
    )
    async def steer_next(
        ctx: Context,
        question: Annotated[str, Field(description="the problem; required on the first call, optional after")] = "",
        session_id: Annotated[str | None, Field(description="the handle returned by the first call")] = None,
        response: Annotated[str | None, Field(description="your whole latest answer (text and any ```python block)")] = None,
        task: Annotated[str | None, Field(description="optional SymBench task name, enabling its constraint check")] = None,
    ) -> SteerResult:
        """Drive the CodeSteer loop. First call: steer_next(question) opens a session and returns how to answer
        (code or text) in `prompt`. Then answer that prompt yourself and call steer_next(session_id, response)
        with your whole answer: the server runs your python block in a sandbox, analyses the code, checks the
        answer and returns the next instruction. Repeat until `done` is true, then give `final_answer`."""
        try:
            if session_id is None:
                if response is not None:
                    raise InputError(
                        "response was sent without session_id: call steer_next(question) first to open a session, "
                        "then send the response with the session_id it returns"
                    )
                return await app.open(question, task)
            if response is None:
                raise InputError("session_id was sent without a response: send your latest answer as response")
            return await app.step(session_id, response, question, ask=steering_sampler(ctx))
        except InputError as exc:
            raise ToolError(str(exc)) from None

    @server.tool(
        description=run_code_description(settings.output_chars),
        annotations=ToolAnnotations(title="Run Python in the sandbox", open_world_hint=False),
    )
    async def run_code(
        ctx: Context,
        code: Annotated[str, Field(description="a complete Python 3 program")],
        timeout_s: Annotated[float | None, Field(description="wall-clock limit in seconds (default from settings)")] = None,
        stdin: Annotated[str | None, Field(description="text fed to the program's standard input")] = None,
        session: Annotated[
            str | None,
            Field(
                description="keep variables and files across calls (docker sandbox only): any name starts a new "
                "session; pass the `session` handle a result returned to continue that one"
            ),
        ] = None,
        files: Annotated[
            dict[str, str] | None,
            Field(description="files to put in the program's working directory: name -> text, or 'base64:' + "
                  "base64 for binary content (plain names; limits in codesteer://config)"),
        ] = None,
        lmulate: Annotated[
            bool,
            Field(
                description="let the program call functions nobody wrote (is_sarcastic(s), is_fruit(x)): a language "
                "model emulates each such call and the program is replayed with the values (Chain of Code)"
            ),
        ] = False,
        emulated: Annotated[
            dict[str, Any] | None,
            Field(
                description="values you supply for emulated calls, keyed by the call as listed in lmulate.pending, "
                "e.g. {\"is_fruit('apple')\": true}; implies lmulate"
            ),
        ] = None,
    ) -> Annotated[CallToolResult, RunCodeResult] | InputRequiredResult:
        try:
            if lmulate or emulated is not None:
                outcome = await run_code_lmulated(app, ctx, code, timeout_s, stdin, session, emulated, files)
                if isinstance(outcome, InputRequiredResult):
                    return outcome
                result, handle, summary = outcome.execution, None, summarise(outcome)
            else:
                result, handle = await app.run_code(code, timeout_s, stdin, session, files, client_of(ctx))
                summary = None
        except InputError as exc:
            raise ToolError(str(exc)) from None
        structured = RunCodeResult(
            **result.model_dump(exclude={"files"}), files=[f.name for f in result.files], session=handle, lmulate=summary
        ).model_dump(mode="json", exclude={"lmulate"} if summary is None else set())
        content: list[TextContent | ImageContent | EmbeddedResource] = [
            TextContent(type="text", text=json.dumps(structured, indent=2))
        ]
        content.extend(file_content(f) for f in result.files)
        return CallToolResult(content=content, structured_content=structured)

    @server.tool(
        annotations=ToolAnnotations(title="Close a run_code session", destructive_hint=True, open_world_hint=False)
    )
    async def close_session(
        ctx: Context,
        session: Annotated[str, Field(description="the `session` handle a run_code result returned")],
    ) -> CloseSessionResult:
        """End a persistent run_code session now: its interpreter, variables and files are removed. How many
        sessions are open is in codesteer://run_code/sessions; idle ones also end by themselves."""
        try:
            closed = await app.close_run_session(session, client_of(ctx))
        except InputError as exc:
            raise ToolError(str(exc)) from None
        return CloseSessionResult(session=session, closed=closed)

    @server.tool(annotations=ToolAnnotations(title="Analyse code", read_only_hint=True, open_world_hint=False))
    async def check_symbolic(code: Annotated[str, Field(description="the Python program to analyse")]) -> CheckSymbolicResult:
        """Read a program's syntax tree and say what it does: search (loops over candidates, itertools, recursion,
        BFS/DFS), symbolic computation (sympy, z3, built expressions), numeric computation, or a lazy answer that
        only prints a literal. Returns a complexity score, a verdict and one sentence of advice."""
        try:
            app.validate_code(code)
        except InputError as exc:
            raise ToolError(str(exc)) from None
        report = await anyio.to_thread.run_sync(analyze_code, code)  # seconds on a large program: off the loop
        return CheckSymbolicResult(**report.model_dump())

    @server.tool(annotations=ToolAnnotations(title="Check an answer", open_world_hint=False))
    async def check_answer(
        question: Annotated[str, Field(description="the problem the answer is for")],
        answer: Annotated[str, Field(description="the answer to check (the content of <<<...>>>)")],
        checker_code: Annotated[
            str | None, Field(description="a program testing the answer; ANSWER and QUESTION are predefined")
        ] = None,
        task: Annotated[str | None, Field(description="a SymBench task name, to use its constraint check")] = None,
    ) -> CheckAnswerResult:
        """Verify an answer: with checker_code, run that checker in the sandbox (it prints CORRECT or INCORRECT:
        reason); with a SymBench task name, use the task's constraint check (never a stored answer); otherwise
        the verdict is 'unverified' with instructions for writing a checker."""
        try:
            return await app.check_answer(question, answer, checker_code, task)
        except InputError as exc:
            raise ToolError(str(exc)) from None

    @server.prompt(title="Solve with CodeSteer")
    def solve_with_codesteer(question: str) -> str:
        """How to solve a question by driving the CodeSteer loop with this server's tools."""
        if not question or not question.strip():
            raise ValueError("question is empty: give the problem to solve")
        return SOLVE_WITH_CODESTEER.format(question=question.strip())

    @server.resource("codesteer://config", mime_type="application/json", title="Settings and backends in use")
    async def config() -> str:
        """The settings (without secrets), the guide and sandbox in use, and any warnings."""
        return json.dumps(app.describe(), indent=2, default=str)

    @server.resource(
        "codesteer://run_code/sessions", mime_type="application/json", title="Persistent run_code sessions"
    )
    async def run_sessions() -> str:
        """The persistent run_code sessions alive now (runs, age, idle time) and the limits that end them."""
        return json.dumps(app.run_sessions(), indent=2)

    @server.resource("codesteer://sessions/{session_id}", mime_type="application/json", title="A session's trajectory")
    async def session(session_id: str) -> str:
        """Every response, execution, check and guidance of one steering session."""
        try:
            trajectory = await app.load(session_id)
        except InputError as exc:
            raise ResourceError(str(exc)) from None
        return trajectory.model_dump_json(indent=2)

    return server
