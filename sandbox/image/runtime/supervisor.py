"""The in-container supervisor: holds a warm interpreter and runs one program (or, in a
session, a sequence of programs) sent by the server on stdin.

Started by the server with ``docker exec -u <code uid> -i`` into a pooled container.
It imports the heavy modules first, forks the *kernel* (the process that will execute
the code, inheriting those imports), then announces itself ready. Per request it
forwards the kernel's stdout/stderr, enforces the time limit, the output cap and the
figure limits, and reports how the program ended.

Wire format (stdin, server -> supervisor): 4-byte big-endian length + JSON request.
Wire format (stdout, supervisor -> server): 1-byte kind + 4-byte big-endian length +
payload. Kinds: R ready, O stdout bytes, E stderr bytes, X end of run (JSON).
The supervisor's own stderr carries only its own failures.

The supervisor shares the code's uid (a container runs one program, and the exec is
not allowed to change uid), so it makes itself non-dumpable first: the code can then
neither ptrace it nor open its descriptors through /proc (no forged records on its
stdout). The kernel makes itself dumpable again, being the code's own process.
"""

import base64
import builtins
import ctypes
import io
import json
import linecache
import os
import select
import shutil
import signal
import struct
import sys
import time
import traceback

WORK_DIR = "/tmp"
CHUNK = 65536
DRAIN_BUDGET_S = 0.2
MPL_CACHE = "/opt/codesteer/mpl"


def send(kind: bytes, payload: bytes) -> None:
    data = kind + struct.pack(">I", len(payload)) + payload
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]


def read_exact(fd: int, n: int) -> bytes:
    parts = []
    while n:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def read_frame(fd: int) -> dict:
    (length,) = struct.unpack(">I", read_exact(fd, 4))
    return json.loads(read_exact(fd, length))


def write_frame(fd: int, obj: dict) -> None:
    data = json.dumps(obj).encode()
    data = struct.pack(">I", len(data)) + data
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


PR_SET_DUMPABLE = 4


def set_dumpable(flag: int) -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, flag, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


# ----------------------------------------------------------------------------- kernel


def _set_stdin(text):
    """fd 0 of the program: the request's stdin as an unlinked file, else /dev/null."""
    if text is None:
        fd = os.open(os.devnull, os.O_RDONLY)
    else:
        path = os.path.join(WORK_DIR, f".stdin-{os.getpid()}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        fd = os.open(path, os.O_RDONLY)
        os.unlink(path)
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")


def _execute(code: str, namespace: dict) -> int:
    filename = "main.py"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        exec(compile(code, filename, "exec"), namespace)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except BaseException as exc:  # the program's own failure: report it like python would
        tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
        traceback.print_exception(type(exc), exc, tb)
        return 1
    return 0


def _write_inputs(files) -> None:
    """The caller's files (checked by the server) into the work directory, before the program runs."""
    for item in files:
        try:
            with open(os.path.join(WORK_DIR, os.path.basename(item["name"])), "wb") as f:
                f.write(base64.b64decode(item["data_b64"]))
        except (OSError, KeyError, ValueError) as exc:
            print(f"could not write the input file {item.get('name')!r}: {exc}", file=sys.stderr)


def _save_open_figures() -> None:
    """Figures the program left open come back like shown ones (see codesteer_mpl)."""
    if "matplotlib.pyplot" not in sys.modules:
        return
    try:
        import codesteer_mpl

        codesteer_mpl.save_open_figures()
    except Exception:  # a broken figure must not hide the program's own result
        traceback.print_exc()


def kernel(req_fd: int, ctrl_fd: int, out_fd: int, err_fd: int) -> None:
    """Executes each request's code; reports its exit code on ctrl_fd. Never returns."""
    set_dumpable(1)
    # The OOM killer must pick the program, not the supervisor (raising is unprivileged).
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    os.setpgid(0, 0)
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    for fd in (out_fd, err_fd):
        os.close(fd)
    sys.stdout = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", write_through=True
    )
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    while True:
        try:
            request = read_frame(req_fd)
        except EOFError:
            os._exit(0)
        _set_stdin(request.get("stdin"))
        _write_inputs(request.get("files") or [])
        if not request.get("keep"):
            os.close(req_fd)
        code = _execute(request["code"], namespace)
        _save_open_figures()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        write_frame(ctrl_fd, {"exit_code": code})
        if not request.get("keep"):
            os._exit(code & 0xFF)


# ------------------------------------------------------------------------- supervisor


class Kernel:
    def __init__(self) -> None:
        req_r, self.req_w = os.pipe()
        self.ctrl_r, ctrl_w = os.pipe()
        self.out_r, out_w = os.pipe()
        self.err_r, err_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            for fd in (self.req_w, self.ctrl_r, self.out_r, self.err_r):
                os.close(fd)
            try:
                kernel(req_r, ctrl_w, out_w, err_w)
            finally:
                os._exit(70)
        for fd in (req_r, ctrl_w, out_w, err_w):
            os.close(fd)
        for fd in (self.out_r, self.err_r, self.ctrl_r):
            os.set_blocking(fd, False)
        self.pidfd = os.pidfd_open(self.pid)
        self.ctrl_buf = b""

    def close(self) -> None:
        for fd in (self.req_w, self.ctrl_r, self.out_r, self.err_r, self.pidfd):
            try:
                os.close(fd)
            except OSError:
                pass


class Forwarder:
    """Forwards one stream within ``cap`` bytes, keeping its head and its tail.

    The first half of the cap goes out at once; later bytes are held (only the last
    half-cap of them) until ``finish``, which sends them all when the stream fit the
    cap, else a marker and the tail, so an error at the end of a long output survives.
    Everything sent stays within the cap, as the server's reader expects.
    """

    MARKER_ROOM = 64

    def __init__(self, kind: bytes, cap: int) -> None:
        self.kind, self.cap = kind, cap
        self.head_cap = cap // 2
        self.held_cap = cap - self.head_cap
        self.sent = self.total = self.dropped = 0
        self.held = bytearray()

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        room = self.head_cap - self.sent
        if room > 0:
            send(self.kind, data[:room])
            self.sent += min(room, len(data))
            data = data[room:]
        if data:
            self.held += data
            del self.held[: max(0, len(self.held) - self.held_cap)]

    def finish(self) -> None:
        if self.total <= self.cap:
            tail = bytes(self.held)
        else:
            tail = bytes(self.held[-(self.held_cap - self.MARKER_ROOM) :])
            self.dropped = self.total - self.sent - len(tail)
            tail = f"\n... [{self.dropped} bytes cut] ...\n".encode() + tail
        if tail:
            send(self.kind, tail)
        self.held = bytearray()


def _drain(fd: int, forwarder: Forwarder, until: float) -> bool:
    """Read what is buffered now; True when the pipe reached end of file."""
    while time.monotonic() < until:
        try:
            data = os.read(fd, CHUNK)
        except BlockingIOError:
            return False
        if not data:
            return True
        forwarder.feed(data)
    return False


def _other_processes(keep_pids) -> list:
    """Processes of our uid besides the supervisor and the kernel: background leftovers."""
    found = []
    uid = os.getuid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in keep_pids:
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found.append((int(entry), cmd or "?"))
    return found


def _collect_files(since: float, max_files: int, max_bytes: int, inputs: dict, notes: list) -> list:
    """Regular, non-hidden files at the top of the work directory written since the run
    began (inputs left as they came excepted), within the file limits; notes on the rest."""
    files = []
    try:
        names = sorted(os.listdir(WORK_DIR))
    except OSError:
        return files
    skipped_big, skipped_count = [], 0
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(WORK_DIR, name)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            # Regular files only: a FIFO would block, a directory cannot be read.
            st = os.fstat(fd)
            if st.st_mode & 0o170000 != 0o100000 or st.st_mtime < since:
                continue
            if st.st_size > max_bytes:
                skipped_big.append(name)
                continue
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read(max_bytes + 1)[:max_bytes]
        except OSError:
            continue
        finally:
            os.close(fd)
        if inputs.get(name) == data:
            continue
        if len(files) >= max_files:
            skipped_count += 1
            continue
        files.append({"name": name, "data_b64": base64.b64encode(data).decode()})
    if skipped_big:
        notes.append(
            f"Files larger than {max_bytes} bytes were not returned: {', '.join(skipped_big)}; "
            "write smaller files (figures: a lower dpi or size)."
        )
    if skipped_count:
        notes.append(f"Only the first {max_files} files are returned; {skipped_count} more were left out.")
    return files


def _describe_status(status: int, timed_out: bool, request: dict, notes: list):
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    sig = os.WTERMSIG(status)
    if timed_out:
        return None
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    if sig == signal.SIGKILL:
        notes.append(
            f"The program was killed by {name}: most likely it went over the memory limit "
            f"({request.get('memory_mb', '?')} MB). Use less memory (smaller data structures, generators)."
        )
    else:
        notes.append(f"The program was killed by signal {name}.")
    return None


def serve_request(state: dict, request: dict) -> None:
    started_wall = time.time()
    started = time.monotonic()
    deadline = started + float(request.get("timeout_s", 10.0))
    keep = bool(request.get("keep"))
    cap = int(request.get("output_bytes", 65536))
    out, err = Forwarder(b"O", cap), Forwarder(b"E", cap)
    notes: list = []
    k: Kernel = state["kernel"]
    write_frame(k.req_w, request)
    open_fds = {k.out_r: out, k.err_r: err}
    exit_code = None
    timed_out = killed_kernel = False
    status = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        readable, _, _ = select.select(list(open_fds) + [k.ctrl_r, k.pidfd], [], [], remaining)
        for fd in readable:
            if fd in open_fds:
                try:
                    data = os.read(fd, CHUNK)
                except BlockingIOError:
                    continue
                if data:
                    open_fds[fd].feed(data)
                else:
                    del open_fds[fd]
        if k.ctrl_r in readable:
            try:
                k.ctrl_buf += os.read(k.ctrl_r, CHUNK)
            except BlockingIOError:
                pass
            if len(k.ctrl_buf) >= 4:
                (length,) = struct.unpack(">I", k.ctrl_buf[:4])
                if len(k.ctrl_buf) >= 4 + length:
                    exit_code = json.loads(k.ctrl_buf[4 : 4 + length])["exit_code"]
                    k.ctrl_buf = k.ctrl_buf[4 + length :]
                    # The program is done; a once-kernel is exiting and its teardown
                    # (tens of ms with numpy loaded) need not be waited for.
                    break
        if k.pidfd in readable:
            _, status = os.waitpid(k.pid, 0)
            break
    if timed_out:
        # Everything of the code's uid goes: the kernel, its children, daemons it left.
        # kill(-1) spares the caller itself and PID 1 (another uid anyway).
        os.kill(-1, signal.SIGKILL)
        _, status = os.waitpid(k.pid, 0)
        killed_kernel = True
        notes.append(
            f"The program was killed at the time limit of {request.get('timeout_s')} s (SIGKILL). "
            "Make it faster (a better algorithm, smaller search space) or print partial results early."
        )
    until = time.monotonic() + DRAIN_BUDGET_S
    for fd in list(open_fds):
        if _drain(fd, open_fds[fd], until):
            del open_fds[fd]
    out.finish()
    err.finish()
    if status is not None and not timed_out:
        code_from_status = _describe_status(status, timed_out, request, notes)
        if exit_code is None:
            exit_code = code_from_status
    kernel_alive = status is None
    leftovers = _other_processes({os.getpid(), k.pid})
    if leftovers and not keep:
        os.kill(-1, signal.SIGKILL)
        shown = ", ".join(f"pid {pid} ({cmd[:60]})" for pid, cmd in leftovers[:5])
        notes.append(
            f"Background processes were still running when the program ended and were killed: {shown}. "
            "A run's processes do not outlive it; wait for your subprocesses before exiting."
        )
    elif leftovers:
        notes.append(f"{len(leftovers)} background process(es) of this session are still running.")
    for fwd, stream in ((out, "stdout"), (err, "stderr")):
        if fwd.dropped:
            notes.append(
                f"{stream} was cut to its first and last {cap // 2} bytes or so ({fwd.dropped} bytes dropped in "
                "between). Print less: a summary, the first lines, or the answer only."
            )
    inputs = {}
    for item in request.get("files") or []:
        try:
            inputs[os.path.basename(item["name"])] = base64.b64decode(item["data_b64"])
        except (KeyError, ValueError):
            pass
    files = _collect_files(
        started_wall - 1.0, int(request.get("max_files", 8)), int(request.get("max_file_bytes", 2_000_000)), inputs,
        notes,
    )
    if keep and (killed_kernel or not kernel_alive):
        notes.append("The session's interpreter ended, so its variables are gone; the next run starts afresh.")
    result = {
        "run": request.get("run"),
        "exit_code": exit_code,
        "timed_out": timed_out,
        "truncated": bool(out.dropped or err.dropped),
        "notes": notes,
        "files": files,
        "duration_s": time.monotonic() - started,
    }
    send(b"X", json.dumps(result).encode())
    if keep and not kernel_alive:
        k.close()
        state["kernel"] = Kernel()


def _prepare_matplotlib() -> None:
    """Matplotlib wants a writable config dir: give it a copy of the image's font cache."""
    target = os.environ.get("MPLCONFIGDIR")
    if target and target.startswith(WORK_DIR) and os.path.isdir(MPL_CACHE):
        try:
            shutil.copytree(MPL_CACHE, target, dirs_exist_ok=True)
        except OSError as exc:
            print(f"supervisor: matplotlib cache copy failed: {exc}", file=sys.stderr)


def main() -> None:
    if os.getuid() == 0:
        # kill(-1) below would reach every process the kernel can see.
        sys.exit("supervisor: refusing to run as root")
    if not set_dumpable(0):
        sys.exit("supervisor: cannot make itself non-dumpable; refusing to run code beside it")
    preload = [m for m in (sys.argv[1] if len(sys.argv) > 1 else "").split(",") if m]
    for module in preload:
        try:
            __import__(module)
        except Exception as exc:  # an optional module missing is not fatal
            print(f"supervisor: preload {module} failed: {exc}", file=sys.stderr)
    os.chdir(WORK_DIR)
    _prepare_matplotlib()
    state = {"kernel": Kernel()}
    send(b"R", json.dumps({"pid": os.getpid(), "preloaded": preload}).encode())
    while True:
        try:
            request = read_frame(0)
        except EOFError:
            return
        serve_request(state, request)
        if not request.get("keep"):
            return


if __name__ == "__main__":
    main()
