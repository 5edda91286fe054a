"""``mcp-codesteer guide serve``: the vllm command it starts, and what it says without vLLM."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from guide.registry import create_guide
from mcp_codesteer.cli import main


@pytest.fixture
def fake_vllm(tmp_path, monkeypatch) -> Path:
    """A `vllm` executable first on PATH that records its arguments instead of serving."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    record = tmp_path / "vllm-argv.json"
    script = bindir / "vllm"
    script.write_text(f"#!{sys.executable}\nimport json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    return record


@pytest.fixture
def adapter(tmp_path) -> Path:
    directory = tmp_path / "adapter"
    directory.mkdir()
    (directory / "adapter_config.json").write_text(
        json.dumps({"base_model_name_or_path": "/models/llama-3-8b-instruct", "r": 64, "peft_type": "LORA"})
    )
    return directory


def _flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_serve_starts_vllm_on_loopback_with_prefix_caching_and_prints_the_guide_string(fake_vllm, tmp_path, capsys):
    assert main(["guide", "serve", str(tmp_path / "model"), "--port", "8123"]) == 0
    argv = json.loads(fake_vllm.read_text())
    assert argv[:2] == ["serve", str(tmp_path / "model")]
    assert _flag(argv, "--host") == "127.0.0.1"
    assert _flag(argv, "--port") == "8123"
    assert _flag(argv, "--served-model-name") == "codesteer"
    assert "--enable-prefix-caching" in argv
    assert "--enable-lora" not in argv
    assert "--guide openai:codesteer@http://127.0.0.1:8123/v1" in capsys.readouterr().out


def test_a_lora_adapter_is_served_unmerged_on_its_base_model_under_the_guide_name(fake_vllm, adapter, capsys):
    assert main(["guide", "serve", "--lora", str(adapter)]) == 0
    argv = json.loads(fake_vllm.read_text())
    assert argv[1] == "/models/llama-3-8b-instruct"  # the base model named by the adapter
    assert "--enable-lora" in argv
    assert _flag(argv, "--lora-modules") == f"codesteer={adapter.resolve()}"
    assert _flag(argv, "--max-lora-rank") == "64"  # rank 64 is over vLLM's default of 16
    assert _flag(argv, "--served-model-name") == "codesteer-base"
    assert "--guide openai:codesteer@http://127.0.0.1:" in capsys.readouterr().out


def test_the_printed_guide_string_is_one_the_registry_accepts(fake_vllm, tmp_path, capsys):
    pytest.importorskip("httpx")
    assert main(["guide", "serve", str(tmp_path / "model"), "--name", "steer", "--port", "9001", "--dry-run"]) == 0
    spec = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("--guide "))[len("--guide ") :]
    guide = create_guide(spec)
    assert (guide.model.base_url, guide.model.model) == ("http://127.0.0.1:9001/v1", "steer")


def test_dry_run_prints_the_command_and_starts_nothing(fake_vllm, tmp_path, capsys):
    assert main(["guide", "serve", str(tmp_path / "model"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("vllm serve ")
    assert not fake_vllm.exists()


def test_without_vllm_it_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no vllm anywhere
    assert main(["guide", "serve", str(tmp_path / "model")]) == 2
    err = capsys.readouterr().err
    assert "vLLM is not installed" in err
    assert "pip install 'mcp-codesteer[vllm]'" in err


def test_a_lora_directory_without_an_adapter_config_is_refused_with_what_to_pass(fake_vllm, tmp_path, capsys):
    assert main(["guide", "serve", "--lora", str(tmp_path)]) == 2
    assert "adapter_config.json" in capsys.readouterr().err
    assert not fake_vllm.exists()


def test_serve_without_a_model_says_what_to_name(fake_vllm, capsys):
    assert main(["guide", "serve"]) == 2
    assert "name the guide model" in capsys.readouterr().err


def test_the_in_process_vllm_guide_without_vllm_says_how_to_install_it():
    import importlib.util

    if importlib.util.find_spec("vllm") is not None:
        pytest.skip("vLLM is installed here")
    with pytest.raises(ImportError, match=r"pip install 'mcp-codesteer\[vllm\]'"):
        create_guide("vllm:/models/guide")
