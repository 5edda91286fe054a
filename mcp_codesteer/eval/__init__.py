"""The headless evaluation client: SymBench through the server's MCP tools, against a TaskLLM.

Public face: run a configured evaluation (``execute_run``), read a run directory
(``read_run``), build and save its report (``report_for``, ``save_report``). The run
directory format is documented in docs/eval-log-format.md.
"""

from .records import FORMAT_VERSION, METHODS, RunConfig, RunHeader, SampleRecord, ServerSpec
from .report import build_report, load_runs, report_for, save_report
from .runlog import RunLogError, read_records, read_run
from .runner import execute_run

__all__ = [
    "FORMAT_VERSION",
    "METHODS",
    "RunConfig",
    "RunHeader",
    "RunLogError",
    "SampleRecord",
    "ServerSpec",
    "build_report",
    "execute_run",
    "load_runs",
    "read_records",
    "read_run",
    "report_for",
    "save_report",
]
