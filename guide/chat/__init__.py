"""One chat-model layer for every consumer: the guide's model backends, the eval's TaskLLM,
training's synthesis and the Chain-of-Code emulator.

One protocol (:class:`ChatModel`: ``generate(messages, settings) -> Completion`` with
usage and timing), one message type, providers chosen by one string
(:data:`MODEL_SPEC_HELP`, :func:`resolve_chat_model`), one retrying HTTP client, one
transformers loader, and test doubles (:class:`MockModel`, :class:`FunctionModel`) with a
switch that forbids real model requests (:func:`forbid_model_requests`).
"""

from .guard import (
    ModelRequestsForbidden,
    allow_model_requests,
    check_model_request_allowed,
    forbid_model_requests,
    model_requests_forbidden,
    set_model_requests_forbidden,
)
from .options import ModelOptions, RetryPolicy
from .registry import MODEL_SPEC_FORMS, MODEL_SPEC_HELP, PROVIDERS, Provider, register, resolve_chat_model
from .testing import FunctionModel, MockModel, ReplyScript, call_context, with_call_context
from .types import (
    ChatMessage,
    ChatModel,
    Completion,
    GenerateSettings,
    ModelError,
    ProviderError,
    TransientProviderError,
    Usage,
    aclose_model,
    as_messages,
)

__all__ = [
    "MODEL_SPEC_FORMS",
    "MODEL_SPEC_HELP",
    "PROVIDERS",
    "ChatMessage",
    "ChatModel",
    "Completion",
    "FunctionModel",
    "GenerateSettings",
    "MockModel",
    "ReplyScript",
    "ModelError",
    "ModelOptions",
    "ModelRequestsForbidden",
    "Provider",
    "ProviderError",
    "RetryPolicy",
    "TransientProviderError",
    "Usage",
    "aclose_model",
    "allow_model_requests",
    "as_messages",
    "call_context",
    "check_model_request_allowed",
    "forbid_model_requests",
    "model_requests_forbidden",
    "register",
    "resolve_chat_model",
    "set_model_requests_forbidden",
    "with_call_context",
]
