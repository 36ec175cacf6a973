"""`clientbook bench`: it runs end to end on a small book and reports every metric; how budgets are applied.

No timing is asserted anywhere (CI machines differ): the benchmark's figures are for README, not for tests.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.app import App

from clientbook import bench
from clientbook.bench.app_probe import TYPING, typed
from clientbook.bench.headless import ProbeTimeout, wait_until
from clientbook.bench.metrics import METRIC_NAMES, Figures, build_report
from clientbook.cli import bench_command
from clientbook.cli.bench_command import print_report
from tests.cli.conftest import run


def figures(**changes: object) -> Figures:
    values: dict[str, object] = {
        "app_start_ms": [300.0, 320.0, 310.0],
        "bare_start_ms": [200.0, 210.0, 190.0],
        "keystroke_ms": [10.0, 20.0, 60.0],
        "stall_max_ms": 12.0,
        "end_ms": [5.0],
        "pagedown_ms": [3.0],
        "care_ms": [20.0],
        "log_open_ms": [20.0],
        "detail_ms": [20.0],
        "save_ms": [2.4, 2.6, 2.5],
        "fsync_ms": [2.0, 2.0, 2.0],
        "rss_mb": 60.0,
        "rss_mb_1k": 40.0,
        "seed_s": 4.0,
        "cli_search_ms": [100.0],
        "cli_today_ms": [100.0],
        "peewee_ms": [3.0],
        "sqlite_ms": [1.0],
    }
    values.update(changes)
    return Figures(**values)  # type: ignore[arg-type]


def test_budgets_are_upper_bounds_some_made_from_the_same_run() -> None:
    report = build_report(figures(), clients=100, interactions=1000)
    by_name = {m.name: m for m in report.metrics}
    assert [m.name for m in report.metrics] == list(METRIC_NAMES)
    assert by_name["cold_start_ratio"].value == 1.55  # 310 / 200: medians, not means
    assert not by_name["cold_start_ratio"].ok
    assert by_name["keystroke_p50_ms"].ok and not by_name["keystroke_max_ms"].ok
    # A save is held to fsync + 1 ms, memory to the 1,000-client book's + 16 MB (and 64 MB).
    assert by_name["save_p50_ms"].budget == 3.0 and by_name["save_p50_ms"].ok
    assert by_name["rss_mb"].budget == 56.0 and not by_name["rss_mb"].ok
    # Reported, never judged.
    for name in ("fsync_ms", "peewee_overhead"):
        assert by_name[name].budget is None and by_name[name].ok
    assert by_name["peewee_overhead"].value == 3.0


def test_the_table_has_one_row_per_metric(capsys: pytest.CaptureFixture[str]) -> None:
    print_report(build_report(figures(), clients=100, interactions=1000), as_json=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "100 clients, 1,000 interactions (counted in the book)"
    assert lines[1].split() == ["metric", "value", "budget", "verdict"]
    rows = lines[2:]
    assert [row.split()[0] for row in rows] == list(METRIC_NAMES)
    verdicts = {row.split()[0]: row.split()[-1] for row in rows}
    assert verdicts["cold_start_ratio"] == "OVER"
    assert verdicts["save_p50_ms"] == "ok"


def test_the_typing_script_corrects_itself_tries_a_term_that_matches_nobody_and_ends_empty() -> None:
    values = typed(TYPING)
    assert "backspace" in TYPING
    assert "zqx" in values
    assert values[-1] == ""
    # Every key changes what is searched: each one is timed to a new result.
    assert all(a != b for a, b in zip(["", *values], values, strict=False))


def test_the_cli_default_rounds_match_the_benchmark() -> None:
    assert bench_command.ROUNDS == bench.ROUNDS


@pytest.mark.parametrize(
    "args", [["--clients", "10"], ["--clients", "200", "--interactions", "-1"], ["--rounds", "0"]]
)
def test_refuses_sizes_it_cannot_measure(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, "bench", *args)
    assert code == 2
    assert out == ""
    assert err.startswith("clientbook: --")


def test_a_small_bench_runs_and_reports_every_metric_against_the_book_it_measured(tmp_path: Path) -> None:
    """The real command, as a user runs it (one round: a minute on two cores, not five)."""
    books = tmp_path / "bench"
    size = ["--clients", "300", "--interactions", "3000", "--rounds", "1"]
    done = subprocess.run(
        [sys.executable, "-m", "clientbook", "bench", *size, "--keep", str(books), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for name in METRIC_NAMES:
        metric = result[name]
        assert set(metric) == {"value", "budget", "ok"}, name
        assert isinstance(metric["value"], int | float), name
        assert metric["budget"] is None or isinstance(metric["budget"], int | float), name
        assert isinstance(metric["ok"], bool), name
        assert metric["ok"] == (metric["budget"] is None or metric["value"] <= metric["budget"]), name
    connection = sqlite3.connect(books / "book.db")
    try:
        (clients,) = connection.execute("SELECT COUNT(*) FROM client").fetchone()
        (interactions,) = connection.execute("SELECT COUNT(*) FROM interaction").fetchone()
    finally:
        connection.close()
    assert (result["clients"], result["interactions"]) == (clients, interactions)
    assert clients == 300
    assert interactions >= 3000  # and the busy client's history on top
    # The figures behind the metrics, for tracing a regression.
    assert {"keystroke", "care", "log_open", "detail", "end", "pagedown"} <= set(result["steps"])
    assert len(result["steps"]["keystroke"]["ms"]) == len(TYPING)
    # One line a phase on stderr, so a user knows it is working.
    assert sum(line.startswith("clientbook bench: [") for line in done.stderr.splitlines()) >= 8


async def test_a_wait_ends_at_once_when_the_app_has_stopped() -> None:
    """A crash during the key script is reported as soon as it happens, not after the two-minute timeout."""
    app = App[None]()
    async with app.run_test():
        app.exit()
        started = time.perf_counter()
        with pytest.raises(ProbeTimeout, match="the app stopped while the probe waited for the care screen"):
            await wait_until(lambda: False, what="the care screen", timeout=30, app=app)
        assert time.perf_counter() - started < 5
