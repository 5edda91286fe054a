"""Files into and out of a run, on each backend: the caller's files are in the work
directory, what the program writes comes back typed and within the limits."""

from __future__ import annotations

import base64

import pytest
from sandbox_helpers import TEST_LIMITS

from sandbox.files import check_input_files

pytestmark = pytest.mark.anyio


async def test_input_files_are_in_the_work_directory_and_new_files_come_back(sandbox):
    code = (
        "rows = open('data.csv').read().splitlines()\n"
        "print(len(rows), open('blob.bin', 'rb').read())\n"
        "open('summary.json', 'w').write('{\"rows\": %d}' % len(rows))\n"
        "open('raw.bin', 'wb').write(bytes(range(4)))\n"
        "open('.hidden', 'w').write('not returned')\n"
    )
    result = await sandbox.run(code, files={"data.csv": b"a,b\n1,2\n3,4\n", "blob.bin": b"\x00\xff"})
    assert result.ok, result.summary()
    assert result.stdout.strip() == "3 b'\\x00\\xff'"
    files = {f.name: f for f in result.files}
    assert set(files) == {"summary.json", "raw.bin"}  # unchanged inputs and hidden files stay behind
    assert files["summary.json"].mime_type == "application/json"
    assert base64.b64decode(files["summary.json"].data_b64) == b'{"rows": 3}'
    assert base64.b64decode(files["raw.bin"].data_b64) == bytes(range(4))


async def test_an_input_the_program_changed_comes_back(sandbox):
    result = await sandbox.run("open('notes.txt', 'a').write(' and more')\n", files={"notes.txt": b"some"})
    assert [(f.name, base64.b64decode(f.data_b64)) for f in result.files] == [("notes.txt", b"some and more")]


async def test_a_file_over_the_size_limit_is_named_not_returned(sandbox):
    size = TEST_LIMITS.max_file_bytes + 1
    result = await sandbox.run(f"open('big.txt', 'w').write('x' * {size})\nopen('small.txt', 'w').write('ok')\n")
    assert [f.name for f in result.files] == ["small.txt"]
    assert any("big.txt" in n and "larger than" in n for n in result.notes), result.notes


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../etc/passwd": b""}, "not allowed"),
        ({"sub/dir.txt": b""}, "not allowed"),
        ({".bashrc": b""}, "not allowed"),
        ({f"f{i}": b"" for i in range(TEST_LIMITS.max_input_files + 1)}, "send fewer"),
        ({"big": b"x" * (TEST_LIMITS.max_input_bytes + 1)}, "send less"),
    ],
    ids=["parent", "folder", "hidden", "too-many", "too-big"],
)
def test_input_files_with_bad_names_or_sizes_are_refused_saying_what_to_send(files, message):
    with pytest.raises(ValueError, match=message):
        check_input_files(files, TEST_LIMITS)
