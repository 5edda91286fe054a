"""The streamable-HTTP app: the SDK's transport behind a bearer token and Host/Origin checks."""

from __future__ import annotations

import hmac

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from .settings import Settings

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Accept only requests addressed to this server and coming from its own origins.

    A browser page on another origin (DNS rebinding, a malicious site) gets 403; origins
    listed in ``allowed_origins`` are accepted as well.
    """
    names = {*LOOPBACK_NAMES, settings.host}
    hosts = [f"{name}:*" for name in names] + list(names)
    origins = [f"{scheme}://{name}:*" for name in names for scheme in ("http", "https")]
    origins += [f"{scheme}://{name}" for name in names for scheme in ("http", "https")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=hosts,
        allowed_origins=origins + list(settings.allowed_origins),
    )


class BearerTokenMiddleware:
    """Rejects HTTP requests without ``Authorization: Bearer <token>`` (401), in constant time."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            supplied = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(supplied, self._expected):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"content-type", b"text/plain"), (b"www-authenticate", b'Bearer realm="mcp-codesteer"')],
                    }
                )
                await send({"type": "http.response.body", "body": b"missing or wrong bearer token\n"})
                return
        await self.app(scope, receive, send)


def build_http_app(server: MCPServer, settings: Settings) -> ASGIApp:
    app: ASGIApp = server.streamable_http_app(
        streamable_http_path=settings.http_path,
        transport_security=transport_security(settings),
        host=settings.host,
    )
    if settings.auth_token is not None and settings.auth_token.get_secret_value():
        app = BearerTokenMiddleware(app, settings.auth_token.get_secret_value())
    return app
