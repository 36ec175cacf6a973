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
import tomllib
from typing import Any

from clientbook.core.drafts import ProcessDraft, StepDraft
from clientbook.core.validation import ValidationError


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


def process_from_toml(text: str) -> ProcessDraft:
    """A draft from a process file; raises :class:`ValidationError` on `file` for what is not one."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError({"file": f"not a process file: {error}"}) from error
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
        due = step.get("due_days")
        if due is not None and (isinstance(due, bool) or not isinstance(due, int)):
            raise ValidationError({"file": f"step {number}: due_days must be a whole number of days"})
        drafts.append(
            StepDraft(
                title=text_of(step.get("title"), f"step {number}: title"),
                note=text_of(step.get("note"), f"step {number}: note"),
                due_days="" if due is None else str(due),
            )
        )
    return ProcessDraft(
        name=text_of(data.get("name"), "name"),
        description=text_of(data.get("description"), "description"),
        steps=tuple(drafts),
    )
