"""Seed one-line bugs into the core rules, one at a time, and see whether the tests catch each.

    python scripts/mutations.py                    # every mutation in MUTATIONS, against this tree
    python scripts/mutations.py --only 3 --only 7  # some of them
    python scripts/mutations.py --list FILE.json   # another list ([{"file", "old", "new", "what"}])
    python scripts/mutations.py --root DIR         # another tree (e.g. an older commit from `git archive`)

The tree is copied to a temporary folder and each mutation is applied there, so the working tree is never
touched. First the core and CLI tests run once under coverage (`pip install coverage`; not a dependency of
clientbook), recording which test files execute each line of the core. Each mutation then runs every test
file that executes the line it changes, stopping at the first failure: *caught* when one fails, *survived*
when all pass (or none runs the line). A run of ~40 takes about ten minutes on two cores.

`mutmut` (3.x) also works on this code, but mutates every string and default across a module (1,381 mutants
in three modules, about 25 minutes with one worker); these are the plausible bugs in the rules, hand-picked.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

POOL = ("tests/core", "tests/cli")
"""The tests that may catch a mutation (not the UI tier: it takes minutes, and the rules are in the core)."""


@dataclass(frozen=True)
class Mutation:
    file: str
    old: str
    new: str
    what: str


def _m(file: str, old: str, new: str, what: str) -> Mutation:
    return Mutation(f"clientbook/core/{file}", old, new, what)


MUTATIONS: tuple[Mutation, ...] = (
    # The reply target, the cadence, due days and the key-dates window: one home each (care_rules).
    _m("care_rules.py", "now - arrived > reply_target(", "now - arrived >= reply_target(",
       "reply overdue at exactly the target"),
    _m("care_rules.py", "hours=client_hours or default_hours", "hours=default_hours",
       "a client's own reply target ignored"),
    _m("care_rules.py", "return now - timedelta(days=days)", "return now - timedelta(days=days - 1)",
       "cadence a day short"),
    _m("care_rules.py", "since < cadence_cutoff(now, days)", "since <= cadence_cutoff(now, days)",
       "own cadence due at exactly N days"),
    _m("care_rules.py", "return due < today", "return due <= today", "due today counted overdue"),
    _m("care_rules.py", "return due <= today", "return due < today", "a step due today not shown as due"),
    _m("care_rules.py", "return today + timedelta(days=ahead)", "return today + timedelta(days=ahead - 1)",
       "key-dates window a day short"),
    _m("care_rules.py", "return day if day >= today else None", "return day if day > today else None",
       "a one-off key date today not shown"),
    _m("care_rules.py", "if candidate >= today:", "if candidate > today:",
       "a yearly key date today moved to next year"),
    _m("care_rules.py", "today <= next_on <= key_dates_horizon(", "today <= next_on < key_dates_horizon(",
       "a key date exactly N days ahead not shown"),
    # The queries that apply them.
    _m("care_queries.py", "(Client.stage == stage) & (reference < cutoff)",
       "(Client.stage == stage) & (reference <= cutoff)", "stage cadence due at exactly N days"),
    _m("care_queries.py", "| (Client.care_snoozed_until < today)", "| (Client.care_snoozed_until <= today)",
       "snooze over on its last day"),
    _m("care_queries.py", "& (Interaction.follow_up <= today)", "& (Interaction.follow_up < today)",
       "a follow-up due today not listed"),
    _m("care_queries.py", "& (Promise.due <= today)", "& (Promise.due < today)",
       "a promise due today not listed"),
    _m("care_queries.py", "& (Concern.checkin_on <= today)", "& (Concern.checkin_on < today)",
       "a check-in due today not listed"),
    _m("care_queries.py", "& (ChecklistStep.due_on <= today)", "& (ChecklistStep.due_on < today)",
       "a step due today not listed"),
    _m("care_queries.py", "Promise.status.in_(OWED) & (Promise.due <= today)",
       "(Promise.status == PromiseStatus.OPEN.value) & (Promise.due <= today)",
       "a renegotiated promise no longer owed"),
    _m("care_queries.py", "condition = condition | (column == staff_id)", "condition = condition",
       "mine: what I handled, promised or own not mine"),
    _m("log_queries.py", "return self.awaiting and reply_overdue(", "return reply_overdue(",
       "an answered message shown overdue"),
    _m("queries.py", "now, self.reply_target_hours, default_hours", "now, None, default_hours",
       "the client list ignores a client's own reply target"),
    _m("process_queries.py", "and past_due(self.next_due, today)", "and self.next_due <= today",
       "a checklist marked overdue on its step's due day"),
    _m("process_queries.py", "(ChecklistStep.due_on < flt.overdue_on)",
       "(ChecklistStep.due_on <= flt.overdue_on)",
       "checklists with a step due today listed as overdue"),
    # Writes and their "must not" rules.
    _m("care_operations.py", "CHECKIN_DAYS = 7", "CHECKIN_DAYS = 6", "check-in a day early"),
    _m("care_operations.py", "not past_due(promise.due, _today(zone))", "_today(zone) < promise.due",
       "a promise kept on its due day counted late"),
    _m("care_operations.py", "client_confirmed=client_confirmed,", "client_confirmed=True,",
       "a concern resolved without the client's say-so counted confirmed"),
    _m("log_operations.py", "if clean.direction is Direction.OUTBOUND:\n            _answer(",
       "if clean.direction is not Direction.INBOUND:\n            _answer(",
       "an internal note answers messages"),
    _m("log_operations.py", "for m in awaiting if m.at <= reply.at}", "for m in awaiting if m.at < reply.at}",
       "a reply does not answer a message of the same minute"),
    _m("log_operations.py", "if old_client_id != client.id:\n            refresh_last_contact(",
       "if False:\n            refresh_last_contact(",
       "moving an interaction leaves the old client's last contact"),
    _m("log_operations.py", "if answerer is not None and answerer.client_id != interaction.client_id:",
       "if False:", "a message moved to another client stays answered by the first client's reply"),
    _m("log_operations.py", "& (Interaction.client != interaction.client_id)\n", "& False\n",
       "a reply moved to another client still answers the first client's messages"),
    _m("log_operations.py", "[Direction.INBOUND.value, Direction.OUTBOUND.value])\n",
       "[Direction.INBOUND.value, Direction.OUTBOUND.value, 'internal'])\n",
       "an internal note counts as contact"),
    _m("undo.py", "update(int(v) for v in (old, new) if", "update(int(v) for v in (old,) if",
       "undoing a move leaves one client's last contact"),
    _m("process_operations.py", "& Checklist.completed_at.is_null()\n        )\n        .order_by(",
       "\n        )\n        .order_by(", "a completed checklist counts as running"),
    _m("process_operations.py", "due_on=start + timedelta(days=step.due_days)",
       "due_on=start + timedelta(days=step.due_days + 1)", "step due a day late"),
    _m("slugs.py", '    while f"{base}-{number}" in taken:', '    if f"{base}-{number}" in taken:',
       "the fourth of one name gets a taken slug"),
    _m("slugs.py", "query = query.where(model._meta.primary_key != exclude_id)", "pass",
       "re-slugging counts the client's own slug as taken"),
    _m("slugs.py", "if keep is not None and _numbered(keep, base):", "if False:",
       "re-slugging renumbers a slug the name still gives"),
    _m("slugs.py", r'-[1-9]\d*", slug)', r'-[1-9]", slug)', "a two-digit slug number not recognised"),
    _m("validation.py", 'now=now, prefer="past")', 'now=now, prefer="future")',
       "the log reads a weekday as the coming one"),
    _m("queries.py", "'\"' + term.replace('\"', '\"\"') + '\"'", "'\"' + term + '\"'",
       "a quote in a search term breaks the search"),
)  # fmt: skip


def _load(path: Path) -> tuple[Mutation, ...]:
    return tuple(Mutation(m["file"], m["old"], m["new"], m["what"]) for m in json.loads(path.read_text()))


def _pytest(tree: Path, tests: list[str], *, under_coverage: bool = False) -> int:
    coverage = ["-m", "coverage", "run", "--rcfile", ".mutations-coveragerc"]
    runner = [*coverage, "-m"] if under_coverage else ["-m"]
    command = [sys.executable, *runner, "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=tree, capture_output=True, check=False).returncode


def _who_runs_each_line(tree: Path) -> dict[str, dict[int, set[str]]]:
    """For each core file, the test files that execute each of its lines (from one run under coverage)."""
    (tree / ".mutations-coveragerc").write_text(
        "[run]\nsource = clientbook/core\ndynamic_context = test_function\n"
    )
    if _pytest(tree, list(POOL), under_coverage=True) != 0:
        raise SystemExit("the tests fail before any mutation: fix them first")
    report = tree / "coverage.json"
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", "--rcfile", ".mutations-coveragerc", "--show-contexts",
         "-o", str(report)],
        cwd=tree, capture_output=True, check=True,
    )  # fmt: skip
    runs: dict[str, dict[int, set[str]]] = {}
    for name, data in json.loads(report.read_text())["files"].items():
        lines = runs.setdefault(str(Path(name)), {})
        for line, contexts in data.get("contexts", {}).items():
            # A context is `tests.core.test_care.test_name` (or with a class): keep the test's file.
            files = {_test_file(tree, context) for context in contexts if context}
            # A line run only on import (a module's constant) may matter to any test: run them all.
            lines[int(line)] = {f for f in files if f} or set(POOL)
    return runs


def _test_file(tree: Path, context: str) -> str:
    parts = context.split(".")
    for end in range(len(parts), 0, -1):
        candidate = Path(*parts[:end]).with_suffix(".py")
        if (tree / candidate).is_file():
            return str(candidate)
    return ""


def _copy(root: Path, tree: Path) -> None:
    for part in ("clientbook", "tests", "pyproject.toml"):
        source = root / part
        if source.is_dir():
            shutil.copytree(source, tree / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tree / part)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree to mutate (default: this one)")
    parser.add_argument("--list", type=Path, help="a JSON list of mutations instead of the built-in one")
    parser.add_argument("--only", type=int, action="append", help="run only mutation N (1-based)")
    args = parser.parse_args()
    mutations = _load(args.list) if args.list else MUTATIONS
    chosen = [(n, m) for n, m in enumerate(mutations, start=1) if not args.only or n in args.only]
    with tempfile.TemporaryDirectory(prefix="clientbook-mutations-") as folder:
        tree = Path(folder)
        _copy(args.root, tree)
        runs = _who_runs_each_line(tree)
        caught = 0
        for number, mutation in chosen:
            path = tree / mutation.file
            original = path.read_text()
            if original.count(mutation.old) != 1:
                print(f"{number:>2}  ?       {mutation.file}: the text to mutate is not there exactly once")
                continue
            first = original[: original.index(mutation.old)].count("\n") + 1
            lines = range(first, first + mutation.old.count("\n") + 1)
            covered = runs.get(mutation.file, {})
            tests = sorted({test for line in lines for test in covered.get(line, set())})
            started = time.monotonic()
            code = 0
            if tests:
                path.write_text(original.replace(mutation.old, mutation.new))
                try:
                    code = _pytest(tree, tests)
                finally:
                    path.write_text(original)
            seconds = time.monotonic() - started
            verdict = "caught" if code != 0 else "SURVIVED" if tests else "NO TESTS"
            caught += code != 0
            print(
                f"{number:>2}  {verdict:<8} {seconds:5.1f}s {len(tests):>2} files  "
                f"{Path(mutation.file).name}: {mutation.what}",
                flush=True,
            )
        print(f"caught {caught} of {len(chosen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
