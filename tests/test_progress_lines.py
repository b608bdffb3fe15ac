"""Progress everywhere: plain lines in a log, nothing with --quiet, a closed pipe is no error.

The command runs for real in a child process whose stderr is a pipe (no terminal), as in
CI or cron; the closed pipe is a real one whose reader went away before the output came.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from translatio.progress import PlainProgress, progress_line

from .conftest import SHORT_DOC, MakeProject

LINE = re.compile(
    r"^translating \(pseudo\): (\d+)/(\d+) \(\d+%\), \d+\.\d/s, (ETA \d+:\d\d|done in \d+:\d\d)$"
)


def _translatio(
    root: Path, *args: str, interval: str | None = None
) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment.pop("TRANSLATIO_PROGRESS_INTERVAL", None)
    if interval is not None:
        environment["TRANSLATIO_PROGRESS_INTERVAL"] = interval
    return subprocess.run(
        [sys.executable, "-m", "translatio", *args, "--project", str(root)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def _project(make_project: MakeProject) -> Path:
    text = SHORT_DOC + "".join(f"\nParagraph number {n} is here.\n" for n in range(12))
    root = make_project({"doc.md": text}, languages=("es", "fr"), engine="pseudo")
    assert _translatio(root, "extract").returncode == 0
    return root


def test_a_log_gets_plain_lines_with_counts_rate_and_eta(make_project: MakeProject) -> None:
    root = _project(make_project)
    result = _translatio(root, "translate", interval="0")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines, "no progress at all without a terminal"
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    done = [int(match.group(1)) for match in matches if match]
    total = {int(match.group(2)) for match in matches if match}
    assert total == {30}  # 15 sentences in each of two languages
    assert done == sorted(done) and done[-1] == 30
    assert lines[-1].split(", ")[-1].startswith("done in ")
    assert "\x1b" not in result.stderr and "\r" not in result.stderr  # no bar drawn in a log
    assert "filled" in result.stdout  # results stay on stdout


def test_a_quick_step_stays_silent_at_the_default_interval(make_project: MakeProject) -> None:
    result = _translatio(_project(make_project), "translate")
    assert result.returncode == 0
    assert result.stderr == ""


def test_quiet_silences_progress(make_project: MakeProject) -> None:
    result = _translatio(_project(make_project), "translate", "--quiet", interval="0")
    assert result.returncode == 0
    assert result.stderr == ""
    assert "filled" in result.stdout


def test_a_closed_pipe_ends_quietly_with_sigpipes_status(make_project: MakeProject) -> None:
    root = _project(make_project)
    with subprocess.Popen(
        [sys.executable, "-m", "translatio", "status", "--project", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before a line is written (`| head -0`)
        errors = process.stderr.read().decode()
        assert process.wait(timeout=60) == 141  # 128 + SIGPIPE, as cat or git log end
    assert errors == ""


def test_a_shell_pipe_into_head(make_project: MakeProject) -> None:
    root = _project(make_project)
    command = f"{sys.executable} -m translatio status --project {root} | head -1"
    result = subprocess.run(
        ["bash", "-c", command + '; echo "status=${PIPESTATUS[0]}" >&2'],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.stdout.startswith("document")
    assert result.stdout.count("\n") == 1
    assert re.fullmatch(r"status=(0|141)\n", result.stderr), result.stderr


def test_lines_come_every_interval_and_a_step_ends_with_one() -> None:
    now = [0.0]
    lines: list[str] = []
    progress = PlainProgress(lines.append, interval=5.0, clock=lambda: now[0])
    progress.start("translating (argos)", 100)
    for _ in range(100):
        now[0] += 0.25
        progress.advance(1)
    assert lines == [
        "translating (argos): 20/100 (20%), 4.0/s, ETA 0:20",
        "translating (argos): 40/100 (40%), 4.0/s, ETA 0:15",
        "translating (argos): 60/100 (60%), 4.0/s, ETA 0:10",
        "translating (argos): 80/100 (80%), 4.0/s, ETA 0:05",
        "translating (argos): 100/100 (100%), 4.0/s, done in 0:25",
    ]
    lines.clear()
    progress.start("loading", 2)
    now[0] += 1
    progress.advance(1)
    progress.start("quick", 1)
    progress.advance(1)
    progress.close()
    assert lines == []  # steps done within the interval print nothing


def test_a_step_cut_short_says_where_it_stood() -> None:
    now = [0.0]
    lines: list[str] = []
    progress = PlainProgress(lines.append, interval=1.0, clock=lambda: now[0])
    progress.start("translating (apertium)", 10)
    now[0] = 2.0
    progress.advance(3)
    now[0] = 2.5
    progress.advance(1)
    progress.close()
    assert lines == [
        "translating (apertium): 3/10 (30%), 1.5/s, ETA 0:05",
        "translating (apertium): 4/10 (40%), 1.6/s, ETA 0:04",
    ]


def test_progress_line_reads_hours() -> None:
    assert progress_line("x", 1, 7201, 1.0).endswith("ETA 2:00:00")
