"""What a newcomer reads in --help: every argument explained once, defaults said once."""

import re

import pytest

from mcp_codesteer.cli import main as cli_main


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        cli_main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_the_top_level_help_describes_command(capsys):
    text = _help(capsys)
    assert re.search(r"COMMAND\s+one of the commands below", text)


def test_eval_help_says_each_default_once_and_explains_every_option(capsys):
    text = " ".join(_help(capsys, "eval").split())
    assert "(default: None)" not in text
    assert not re.search(r"\(default:[^)]*\)\s*\(default:", text)
    for flag in ("--temperature TEMPERATURE", "--max-tokens MAX_TOKENS"):
        assert re.search(re.escape(flag) + r" \w", text), f"{flag} has no help"


def test_sandbox_build_help_says_which_way_it_builds_by_default(capsys):
    text = " ".join(_help(capsys, "sandbox", "build").split())
    assert "tries online first" in text and "falls back to offline" in text


def test_symbench_check_golds_uses_the_default_data_folder(monkeypatch, capsys, symbench_dir):
    monkeypatch.setenv("CODESTEER_SYMBENCH_DIR", str(symbench_dir))
    assert cli_main(["symbench", "check-golds", "--task", "game24", "--json"]) == 0
    assert '"ok": true' in capsys.readouterr().out


def test_symbench_export_without_datasets_points_to_jsonl_only(monkeypatch, capsys, symbench_dir, tmp_path):
    import symbench.export

    def missing():
        raise RuntimeError(symbench.export.INSTALL_HINT)

    monkeypatch.setattr(symbench.export, "_import_datasets", missing)
    monkeypatch.setenv("CODESTEER_SYMBENCH_DIR", str(symbench_dir))
    assert cli_main(["symbench", "export", "--task", "game24", "--out", str(tmp_path / "x")]) == 2
    assert "--jsonl-only" in capsys.readouterr().err
    assert cli_main(["symbench", "export", "--task", "game24", "--out", str(tmp_path / "x"), "--jsonl-only"]) == 0
    assert (tmp_path / "x" / "game24.jsonl").exists()
