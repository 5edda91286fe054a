import json

import pytest
from eval_factories import make_header, make_record

from mcp_codesteer.eval.records import SampleRecord
from mcp_codesteer.eval.runlog import HEADER_FILE, SAMPLES_FILE, RunLog, RunLogError, read_records, read_run


def test_records_appended_are_read_back_in_order_with_their_transcript(tmp_path):
    log = RunLog.create(tmp_path, make_header())
    for sid in ("a", "b"):
        assert log.append(make_record(sample_id=sid))
    log.close()
    header, records = read_run(tmp_path)
    assert header.config.methods == ["all_text", "codesteer"]
    assert [r.sample_id for r in records] == ["a", "b"]
    assert records[0].events[0].kind == "model" and records[0].events[0].response == "<<<x>>>"


def test_a_key_already_recorded_is_not_written_again(tmp_path):
    log = RunLog.create(tmp_path, make_header())
    assert log.append(make_record(sample_id="a"))
    assert not log.append(make_record(sample_id="a", value=0.0))
    log.close()
    assert len((tmp_path / SAMPLES_FILE).read_text().splitlines()) == 1


def test_a_torn_last_line_is_ignored_on_read(tmp_path):
    log = RunLog.create(tmp_path, make_header())
    log.append(make_record(sample_id="a"))
    log.close()
    whole = make_record(sample_id="b").model_dump_json()
    with open(tmp_path / SAMPLES_FILE, "a") as fh:
        fh.write(whole[: len(whole) // 2])  # what a kill in the middle of a write leaves
    assert [r.sample_id for r in read_records(tmp_path)] == ["a"]


def test_resume_cuts_a_torn_tail_so_the_next_record_parses(tmp_path):
    log = RunLog.create(tmp_path, make_header())
    log.append(make_record(sample_id="a"))
    log.close()
    with open(tmp_path / SAMPLES_FILE, "a") as fh:
        fh.write('{"format_version": 1, "key": "game24/b/all')
    resumed = RunLog.resume(tmp_path)
    assert resumed.done_keys == {"game24/a/all_text"}
    resumed.append(make_record(sample_id="b"))
    resumed.close()
    lines = (tmp_path / SAMPLES_FILE).read_text().splitlines()
    assert [json.loads(line)["sample_id"] for line in lines] == ["a", "b"]
    assert len(read_run(tmp_path)[0].resumed_at) == 1


def test_a_damaged_line_followed_by_good_records_is_reported_not_skipped(tmp_path):
    log = RunLog.create(tmp_path, make_header())
    log.append(make_record(sample_id="a"))
    log.close()
    with open(tmp_path / SAMPLES_FILE, "a") as fh:
        fh.write("garbage\n" + make_record(sample_id="b").model_dump_json() + "\n")
    with pytest.raises(RunLogError, match="line 2 is damaged"):
        read_records(tmp_path)


def test_creating_a_run_where_one_exists_asks_for_resume(tmp_path):
    RunLog.create(tmp_path, make_header()).close()
    with pytest.raises(RunLogError, match="--resume"):
        RunLog.create(tmp_path, make_header())


def test_a_run_written_by_a_newer_format_is_refused(tmp_path):
    RunLog.create(tmp_path, make_header()).close()
    raw = json.loads((tmp_path / HEADER_FILE).read_text())
    raw["format_version"] = 99
    (tmp_path / HEADER_FILE).write_text(json.dumps(raw))
    with pytest.raises(RunLogError, match="newer than this reader"):
        read_run(tmp_path)


def test_a_folder_without_a_header_is_not_a_run(tmp_path):
    with pytest.raises(RunLogError, match="not a run directory"):
        read_run(tmp_path)


def test_a_record_written_before_the_chat_layer_with_null_usage_reads_as_zero_tokens():
    old = json.loads(make_record().model_dump_json())
    old["usage"] = {"input_tokens": None, "output_tokens": None}
    old["events"][0]["usage"] = {"input_tokens": None, "output_tokens": 3}
    record = SampleRecord.model_validate(old)
    assert (record.usage.input_tokens, record.usage.output_tokens) == (0, 0)
    assert (record.events[0].usage.input_tokens, record.events[0].usage.output_tokens) == (0, 3)
