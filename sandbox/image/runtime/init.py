"""PID 1 of a sandbox container: reap orphans until told to stop.

It runs under its own uid (not the code's), so code in the container can neither
signal it nor read its memory. Orphaned processes are reparented here; reaping them
keeps zombies from eating the container's pids limit.
"""

import os
import signal

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT})
while True:
    info = signal.sigwaitinfo({signal.SIGCHLD, signal.SIGTERM, signal.SIGINT})
    if info.si_signo != signal.SIGCHLD:
        raise SystemExit(0)
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
