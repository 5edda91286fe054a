"""`mcp-codesteer serve`'s flags are derived from Settings: every field is one, flags win over
CODESTEER_* variables, and a bad value is refused before anything starts."""

from __future__ import annotations

import argparse

import pytest
from pydantic import BaseModel

from mcp_codesteer.cli import main
from mcp_codesteer.commands.serve import SHORT_FLAGS, configure, settings_from_args
from mcp_codesteer.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mcp-codesteer serve")
    configure(parser)
    return parser


def _flags(model: type[BaseModel], prefix: str = "") -> list[str]:
    flags = []
    for name, field in model.model_fields.items():
        flag = prefix + name.replace("_", "-")
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            flags += _flags(annotation, f"{flag}.")
        else:
            flags.append(flag)
    return flags


def test_every_setting_is_a_flag_whose_help_is_the_fields_description_and_names_its_variable():
    help_text = " ".join(_parser().format_help().split())
    for flag in _flags(Settings):
        assert f"--{flag}" in help_text, flag
    assert " ".join(Settings.model_fields["max_rounds"].description.split()) in help_text
    assert "CODESTEER_LIMITS__TIMEOUT_S" in help_text and "CODESTEER_GUIDE_MODEL__DEVICE" in help_text


def test_flags_win_over_the_environment_which_wins_over_the_defaults(monkeypatch):
    monkeypatch.setenv("CODESTEER_MAX_ROUNDS", "9")
    monkeypatch.setenv("CODESTEER_PORT", "9999")
    args = _parser().parse_args(["--port", "8000", "--limits.memory-mb", "512", "--guide-model.device", "cpu"])
    settings = settings_from_args(args)
    assert (settings.port, settings.max_rounds, settings.limits.memory_mb) == (8000, 9, 512)
    assert settings.guide_model.device == "cpu" and settings.guide_model.timeout_s == 60.0  # the guide's own default


def test_the_short_flags_of_earlier_versions_still_work():
    assert set(SHORT_FLAGS) <= set(_flags(Settings))
    args = _parser().parse_args([
        "--timeout", "20", "--memory-mb", "256", "--pool-size", "3", "--docker-image", "img:tag",
        "--session-ttl", "60", "--allowed-origin", "http://a", "--allowed-origin", "http://b",
    ])
    settings = settings_from_args(args)
    assert (settings.limits.timeout_s, settings.limits.memory_mb, settings.docker.pool_size) == (20, 256, 3)
    assert (settings.docker.image, settings.session_ttl_s) == ("img:tag", 60)
    assert settings.allowed_origins == ["http://a", "http://b"]


def test_an_invalid_value_is_refused_with_the_setting_named_and_exit_2(capsys):
    assert main(["serve", "--max-rounds", "0"]) == 2
    err = capsys.readouterr().err
    assert "invalid settings" in err and "max_rounds" in err


def test_an_unknown_flag_is_a_usage_error():
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(["--no-such-flag", "1"])
    assert info.value.code == 2


def test_the_public_view_of_the_settings_holds_no_guide_api_key():
    settings = Settings(guide_model={"api_key": "sk-secret-guide"}, auth_token="tok-secret")
    view = str(settings.public_view())
    assert "sk-secret-guide" not in view and "tok-secret" not in view
    assert settings.public_view()["guide_model"]["timeout_s"] == 60.0


def test_the_sandbox_setting_accepts_exactly_the_sandbox_packages_names():
    from typing import get_args

    from mcp_codesteer.settings import SandboxName
    from sandbox import sandbox_names

    assert get_args(SandboxName) == sandbox_names()
