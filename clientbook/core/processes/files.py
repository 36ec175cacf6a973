"""A process as a small, readable TOML file, so a business can share its processes.

```toml
name = "New client onboarding"
description = "From yes to a confident start."

[[step]]
title = "Send a welcome email"
note = "Say thank you and introduce their point-person."
due_days = 0
```

`due_days` is optional (a step with no due date). Reading gives a :class:`ProcessDraft`, so an imported file
meets the same validation as the form; a malformed file is refused with the line TOML names.
"""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path
from typing import Any, Final

from clientbook.core.drafts import ProcessDraft, StepDraft
from clientbook.core.errors import ValidationError
from clientbook.core.text import shown
from clientbook.core.validation import DUE_DAYS_MAX

PROCESS_FILE_MAX: Final = 1_000_000
"""A process of 100 steps with long notes is about 200 kB; a bigger file is something else."""


def _toml_string(text: str) -> str:
    # A JSON string (non-ASCII kept) is a valid TOML basic string: the same quotes and escapes.
    return json.dumps(text, ensure_ascii=False)


def process_to_toml(draft: ProcessDraft) -> str:
    """The file for a process; reading it back gives the same draft."""
    lines = [f"name = {_toml_string(draft.name)}"]
    if draft.description:
        lines.append(f"description = {_toml_string(draft.description)}")
    for step in draft.steps:
        lines += ["", "[[step]]", f"title = {_toml_string(step.title)}"]
        if step.note:
            lines.append(f"note = {_toml_string(step.note)}")
        if step.due_days:
            lines.append(f"due_days = {int(step.due_days)}")
    return "\n".join(lines) + "\n"


def read_process_file(path: Path) -> ProcessDraft:
    """The draft in the process file at `path`; :class:`ValidationError` on `file` for a file that cannot be
    read (missing, a folder, not UTF-8, over a megabyte) or is not a process. A byte-order mark is allowed."""
    try:
        if stat.S_ISDIR(path.stat().st_mode):
            raise ValidationError({"file": f"{shown(str(path))} is a folder, not a process file"})
        with path.open("rb") as handle:
            data = handle.read(PROCESS_FILE_MAX + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ValidationError({"file": f"cannot read {shown(str(path))}: {reason}"}) from None
    if len(data) > PROCESS_FILE_MAX:
        raise ValidationError({"file": f"over {PROCESS_FILE_MAX:,} bytes: not a process file"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "not UTF-8 text: save the process file as UTF-8"}) from None
    return process_from_toml(text)


def _due_text(due: int | None) -> str:
    """`due_days` as the form holds it. A number far past the limit stands as one past it, which validation
    refuses with its usual message (str() itself refuses numbers of more than 4,300 digits)."""
    if due is None:
        return ""
    return str(due) if abs(due) <= DUE_DAYS_MAX else str(DUE_DAYS_MAX + 1)


def process_from_toml(text: str) -> ProcessDraft:
    """A draft from a process file; raises :class:`ValidationError` on `file` for what is not one."""
    try:
        data: dict[str, Any] = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        raise ValidationError({"file": f"not a process file: {error}"}) from error
    except RecursionError:
        raise ValidationError({"file": "not a process file: arrays or tables nested too deeply"}) from None
    except ValueError:
        # tomllib lets int()'s own refusal through, for a number of more than 4,300 digits.
        raise ValidationError({"file": "not a process file: a number with too many digits"}) from None
    unknown = sorted(set(data) - {"name", "description", "step"})
    if unknown:
        raise ValidationError(
            {"file": f"unknown key {unknown[0]!r} (a process has name, description, [[step]])"}
        )
    steps = data.get("step", [])
    if not isinstance(steps, list) or not all(isinstance(step, dict) for step in steps):
        raise ValidationError({"file": "steps are written as [[step]] tables"})

    def text_of(value: object, where: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationError({"file": f"{where} must be text in quotes"})
        return value

    drafts = []
    for number, step in enumerate(steps, start=1):
        # A misspelt key (`notes = ...`) would otherwise be dropped without a word, and its text lost.
        unknown_in_step = sorted(set(step) - {"title", "note", "due_days"})
        if unknown_in_step:
            key = shown(unknown_in_step[0])
            known = "a step has title, note, due_days"
            raise ValidationError({"file": f"step {number}: unknown key {key} ({known})"})
        due = step.get("due_days")
        if due is not None and (isinstance(due, bool) or not isinstance(due, int)):
            raise ValidationError({"file": f"step {number}: due_days must be a whole number of days"})
        drafts.append(
            StepDraft(
                title=text_of(step.get("title"), f"step {number}: title"),
                note=text_of(step.get("note"), f"step {number}: note"),
                due_days=_due_text(due),
            )
        )
    return ProcessDraft(
        name=text_of(data.get("name"), "name"),
        description=text_of(data.get("description"), "description"),
        steps=tuple(drafts),
    )
