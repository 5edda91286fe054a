"""Runs inside the local sandbox before the model's code: limits, then the code, then figures.

Invoked as ``python -I _bootstrap.py MAIN_PY LIMITS_JSON FILES_FD MPL_DIR [INPUT_DIR]``.
Lowering hard rlimits cannot be undone without privileges, so the code that follows
cannot lift them. The caller's files in INPUT_DIR are copied into the work directory
first. MPL_DIR holds the image's matplotlib backend (codesteer_mpl), so figures are saved
and named as in the docker sandbox: on ``show()``, and those left open at the end. Every
file the program left in the work directory (inputs it did not change excepted) goes back
on FILES_FD as one JSON line.
"""

import base64
import json
import linecache
import os
import resource
import stat
import sys
import traceback


def _limit(which, value):
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass


def _apply_limits(limits):
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_AS, limits["memory_bytes"])
    _limit(resource.RLIMIT_FSIZE, limits["file_size_bytes"])
    _limit(resource.RLIMIT_NOFILE, limits["open_files"])
    _limit(resource.RLIMIT_CPU, limits["cpu_s"])
    if limits["nproc"]:
        # Counted per uid of the run's own user namespace, so it caps this run's processes
        # (the cgroup's pids.max, where there is one, is the other cap).
        _limit(resource.RLIMIT_NPROC, limits["nproc"])


def _save_figures():
    if "matplotlib.pyplot" not in sys.modules:
        return
    try:
        import codesteer_mpl

        codesteer_mpl.save_open_figures()
    except Exception:  # a broken figure must not hide the program's own result
        traceback.print_exc()


def _copy_inputs(input_dir):
    """The caller's files into the work directory; their contents, to leave them out of the result."""
    inputs = {}
    if not input_dir:
        return inputs
    for name in sorted(os.listdir(input_dir)):
        with open(os.path.join(input_dir, name), "rb") as fh:
            data = fh.read()
        with open(name, "wb") as fh:
            fh.write(data)
        inputs[name] = data
    return inputs


def _read_regular(name, max_bytes):
    """(size, bytes) of a regular file ``name`` (bytes None when over ``max_bytes``), or
    None for anything else. Never follows a symlink nor blocks on a FIFO or device."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        if st.st_size > max_bytes:
            return st.st_size, None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return st.st_size, fh.read(max_bytes + 1)[:max_bytes]
    except OSError:
        return None
    finally:
        os.close(fd)


def _send_files(fd, max_files, max_bytes, inputs):
    """One JSON line: the files left in the work directory (at most max_files, each at most
    max_bytes; unchanged inputs, hidden files, links, FIFOs and folders excepted) and notes
    on those left out. One unreadable file drops only itself."""
    out, notes, too_big, extra = [], [], [], 0
    try:
        names = sorted(os.listdir("."))
    except OSError:
        names = []
    for name in names:
        if name.startswith("."):
            continue
        found = _read_regular(name, max_bytes)
        if found is None:
            continue
        _size, data = found
        if data is None:
            too_big.append(name)
            continue
        if inputs.get(name) == data:
            continue
        if len(out) >= max_files:
            extra += 1
        else:
            # json.dumps escapes an undecodable name (a lone surrogate) as ASCII; the server cleans it.
            out.append({"name": name, "data_b64": base64.b64encode(data).decode()})
    if too_big:
        notes.append(
            f"Files larger than {max_bytes} bytes were not returned: {', '.join(too_big)}; "
            "write smaller files (figures: a lower dpi or size)."
        )
    if extra:
        notes.append(f"Only the first {max_files} files are returned; {extra} more were left out.")
    try:
        os.write(fd, (json.dumps({"files": out, "notes": notes}) + "\n").encode())
    except OSError:
        pass


def main():
    main_py, limits_json, files_fd, mpl_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    input_dir = sys.argv[5] if len(sys.argv) > 5 else ""
    limits = json.loads(limits_json)
    with open(main_py, encoding="utf-8") as fh:
        source = fh.read()
    os.set_inheritable(files_fd, False)
    _apply_limits(limits)
    inputs = _copy_inputs(input_dir)
    sys.argv = ["main.py"]
    sys.path.insert(0, os.getcwd())
    sys.path.append(mpl_dir)
    # Tracebacks quote the program's lines, as they would for a file named main.py.
    linecache.cache["main.py"] = (len(source), None, source.splitlines(True), "main.py")
    namespace = {"__name__": "__main__", "__file__": "main.py", "__builtins__": __builtins__}
    code = 0
    try:
        exec(compile(source, "main.py", "exec"), namespace)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException as exc:  # the model's error, reported as Python would
        tb = exc.__traceback__.tb_next if exc.__traceback__ else None
        traceback.print_exception(type(exc), exc, tb)
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        _save_figures()
        _send_files(files_fd, limits["max_files"], limits["max_file_bytes"], inputs)
    os._exit(code)


main()
