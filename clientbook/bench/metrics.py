"""The benchmark's metrics, their budgets, and the two ways a report is printed (a table, or JSON).

Every budget is an upper bound (`value <= budget`); a metric without one (`budget is None`) is reported and
always `ok`. Budgets that depend on another figure of the same run (a save against fsync, memory against a
1,000-client book) are computed by :func:`build_report`, so the JSON carries the number actually compared.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    budget: float | None
    unit: str
    """How the table writes the value: `ms`, `s`, `MB`, or `x` for a ratio."""
    rule: str = ""
    """How a budget computed from other figures was made (`fsync + 1.0`), shown beside it in the table."""

    @property
    def ok(self) -> bool:
        return self.budget is None or self.value <= self.budget

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "budget": self.budget, "ok": self.ok}


# Budgets at 100,000 clients and 1,000,000 interactions (issue 10). Those computed per run are below.
COLD_START_RATIO: Final = 1.5
KEYSTROKE_P50_MS: Final = 33.0
KEYSTROKE_MAX_MS: Final = 50.0
STALL_MAX_MS: Final = 50.0
END_MS: Final = 33.0
PAGEDOWN_MS: Final = 16.0
CARE_MS: Final = 50.0
LOG_OPEN_MS: Final = 50.0
DETAIL_MS: Final = 50.0
SAVE_OVER_FSYNC_MS: Final = 1.0
RSS_MB: Final = 64.0
RSS_OVER_1K_MB: Final = 16.0
SEED_S: Final = 15.0
CLI_MS: Final = 150.0

METRIC_NAMES: Final = (
    "cold_start_ratio",
    "keystroke_p50_ms",
    "keystroke_max_ms",
    "stall_max_ms",
    "end_ms",
    "pagedown_ms",
    "care_ms",
    "log_open_ms",
    "detail_ms",
    "save_p50_ms",
    "fsync_ms",
    "save_edit_p50_ms",
    "rss_mb",
    "rss_mb_1k",
    "seed_s",
    "cli_search_ms",
    "cli_today_ms",
    "peewee_overhead",
)
"""Every metric, in the order the table prints them."""


@dataclass(frozen=True)
class Figures:
    """What one run measured, before budgets are applied: samples where a median is taken, in ms unless
    named otherwise."""

    app_start_ms: Sequence[float]
    bare_start_ms: Sequence[float]
    keystroke_ms: Sequence[float]
    stall_max_ms: float
    end_ms: Sequence[float]
    pagedown_ms: Sequence[float]
    care_ms: Sequence[float]
    log_open_ms: Sequence[float]
    detail_ms: Sequence[float]
    save_ms: Sequence[float]
    """The write of each save: BEGIN to the durable COMMIT."""
    fsync_ms: Sequence[float]
    rss_mb: float
    rss_mb_1k: float
    seed_s: float
    cli_search_ms: Sequence[float]
    cli_today_ms: Sequence[float]
    peewee_ms: Sequence[float]
    sqlite_ms: Sequence[float]
    save_edit_ms: Sequence[float] = ()
    """Each save as a whole: validation and the duplicate check before the write, and the write."""


@dataclass(frozen=True)
class Report:
    clients: int
    """Counted in the book measured, not taken from the arguments."""
    interactions: int
    metrics: Sequence[Metric]
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Figures behind the metrics (per step, per phase, the machine), for tracing a regression."""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {m.name: m.as_json() for m in self.metrics}
        out["clients"] = self.clients
        out["interactions"] = self.interactions
        out.update(self.extra)
        return out

    def table_rows(self) -> list[tuple[str, str, str, str]]:
        """(metric, value, budget, verdict) for each metric, in :data:`METRIC_NAMES` order."""
        return [
            (m.name, _amount(m.value, m.unit), _budget(m), "ok" if m.ok else "OVER") for m in self.metrics
        ]


def median(samples: Iterable[float]) -> float:
    values = list(samples)
    return statistics.median(values) if values else 0.0


def build_report(
    figures: Figures, *, clients: int, interactions: int, extra: Mapping[str, Any] | None = None
) -> Report:
    """The metrics of one run: medians of the samples, ratios, and the budgets they are held to."""
    f = figures
    bare = median(f.bare_start_ms)
    fsync = median(f.fsync_ms)
    sqlite = median(f.sqlite_ms)
    values: dict[str, tuple[float, float | None, str, str]] = {
        "cold_start_ratio": (median(f.app_start_ms) / bare if bare else 0.0, COLD_START_RATIO, "x", ""),
        "keystroke_p50_ms": (median(f.keystroke_ms), KEYSTROKE_P50_MS, "ms", ""),
        "keystroke_max_ms": (max(f.keystroke_ms, default=0.0), KEYSTROKE_MAX_MS, "ms", ""),
        "stall_max_ms": (f.stall_max_ms, STALL_MAX_MS, "ms", ""),
        "end_ms": (median(f.end_ms), END_MS, "ms", ""),
        "pagedown_ms": (median(f.pagedown_ms), PAGEDOWN_MS, "ms", ""),
        "care_ms": (median(f.care_ms), CARE_MS, "ms", ""),
        "log_open_ms": (median(f.log_open_ms), LOG_OPEN_MS, "ms", ""),
        "detail_ms": (median(f.detail_ms), DETAIL_MS, "ms", ""),
        "save_p50_ms": (median(f.save_ms), fsync + SAVE_OVER_FSYNC_MS, "ms", "fsync + 1.0"),
        "fsync_ms": (fsync, None, "ms", ""),
        "save_edit_p50_ms": (median(f.save_edit_ms), None, "ms", ""),
        # Both limits in one budget: the lower of the absolute one and the 1,000-client book's plus 16.
        "rss_mb": (f.rss_mb, min(RSS_MB, f.rss_mb_1k + RSS_OVER_1K_MB), "MB", "min(64, 1k + 16)"),
        "rss_mb_1k": (f.rss_mb_1k, RSS_MB, "MB", ""),
        "seed_s": (f.seed_s, SEED_S, "s", ""),
        "cli_search_ms": (median(f.cli_search_ms), CLI_MS, "ms", ""),
        "cli_today_ms": (median(f.cli_today_ms), CLI_MS, "ms", ""),
        "peewee_overhead": (median(f.peewee_ms) / sqlite if sqlite else 0.0, None, "x", ""),
    }
    metrics = [
        Metric(name, round(value, 2), None if budget is None else round(budget, 2), unit, rule)
        for name, (value, budget, unit, rule) in ((n, values[n]) for n in METRIC_NAMES)
    ]
    return Report(clients=clients, interactions=interactions, metrics=metrics, extra=dict(extra or {}))


def _amount(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:,.1f} {unit}"


def _budget(metric: Metric) -> str:
    if metric.budget is None:
        return "report"
    text = f"<= {_amount(metric.budget, metric.unit)}"
    return f"{text} ({metric.rule})" if metric.rule else text
