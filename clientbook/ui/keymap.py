"""The settings' `[keymap]`, checked against the app's own bindings before Textual applies it.

Textual applies whatever keymap it is given: an unknown id is ignored without a word, a key it cannot read
replaces the binding's default (which then cannot be pressed at all), and a key given to two bindings of
one screen leaves one of them unreachable. Here each such entry is left out, so its binding keeps its
default keys and the app starts as usual, and it is reported with the file and line it came from.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, Keys

from clientbook.core.text import shown
from clientbook.settings import Settings

MODIFIERS: Final = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _key_name(character: str) -> str:
    """The name Textual gives a key that types `character` (`/` is `slash`, `?` is `question_mark`)."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


KEY_NAMES: Final = frozenset(
    {key.value.rsplit("+", 1)[-1] for key in Keys}
    | {_key_name(chr(code)) for code in range(32, 127)}
    | set(KEY_ALIASES)
    | {"enter", "space", "newline"}
)


@dataclass(frozen=True)
class KeymapProblem:
    """One `[keymap]` entry left out, and why; `line` is where the settings file gives it."""

    binding_id: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.binding_id}: {self.reason}"


def keymap_notice(settings: Settings, problems: list[KeymapProblem]) -> str:
    """One notice for every entry left out: the file once, then a line per entry."""
    entries = "entry" if len(problems) == 1 else "entries"
    head = f"{settings.source}: {len(problems)} [keymap] {entries} left out; their keys keep their defaults"
    return "\n".join([head, *(f"• {problem}" for problem in problems)])


def key_problem(key: str) -> str:
    """Why Textual could not bind `key` ('' when it can): `ctrl+slash` and `?` are keys, `ctrl+/` is not."""
    if not key:
        return "an empty key (a comma too many?)"
    if len(key) == 1:
        return "" if key.isprintable() and not key.isspace() else f"{shown(key)} is not a key"
    *modifiers, base = key.split("+")
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"{shown(unknown[0])} is not a modifier (use {', '.join(sorted(MODIFIERS))})"
    if len(base) == 1 and modifiers and not base.isalnum():
        return f"write {'+'.join([*modifiers, _key_name(base)])}, not {key}"
    if base not in KEY_NAMES and not (len(base) == 1 and base.isprintable()):
        return f"{shown(base)} is not a key name (f1 lists the keys in use; names are like f6, ctrl+n, slash)"
    return ""


def app_bindings(roots: Iterable[type[DOMNode]]) -> Iterator[tuple[type[DOMNode], list[Binding]]]:
    """Each clientbook class among `roots` and their subclasses, with the bindings it declares or inherits."""
    seen: set[type[DOMNode]] = set()
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("clientbook."):
            continue
        bindings = [
            binding
            for base in cls.__mro__
            if base.__module__.startswith("clientbook.")
            for binding in Binding.make_bindings(getattr(base, "BINDINGS", ()))
        ]
        if bindings:
            yield cls, bindings


def check_keymap(
    settings: Settings, scopes: list[list[Binding]], everywhere: list[Binding]
) -> tuple[dict[str, str], list[KeymapProblem]]:
    """The usable part of the settings' keymap, and a problem for each entry left out.

    `scopes` are the bindings active together (one screen's or widget's); `everywhere` the app's own, active
    on every screen. A key may be bound twice only if the defaults already do so (Textual picks the focused
    widget's); a keymap entry that makes a new double is left out.
    """
    known = {b.id for scope in [*scopes, everywhere] for b in scope if b.id}
    usable: dict[str, str] = {}
    problems: list[KeymapProblem] = []

    def refuse(binding_id: str, reason: str) -> None:
        problems.append(KeymapProblem(binding_id, reason, settings.lines.get(f"keymap.{binding_id}")))

    for binding_id, keys in settings.keymap.items():
        if binding_id not in known:
            refuse(binding_id, "no such binding id (f1 lists each key's id)")
            continue
        wrong = next((p for p in (key_problem(k.strip()) for k in keys.split(",")) if p), "")
        if wrong:
            refuse(binding_id, wrong)
            continue
        # Single characters in Textual's long form (`/` is `slash`), as Textual itself stores them.
        given = [k.strip() for k in keys.split(",")]
        usable[binding_id] = ",".join(_key_name(k) if len(k) == 1 else k for k in given)
    for binding_id, other, key in _doubles(usable, scopes, everywhere):
        if binding_id in usable:
            del usable[binding_id]
            refuse(binding_id, f"{key} is already the key for {other} on the same screen")
    return usable, sorted(problems, key=lambda problem: problem.line or 0)


def _doubles(
    keymap: Mapping[str, str], scopes: list[list[Binding]], everywhere: list[Binding]
) -> Iterator[tuple[str, str, str]]:
    """(id, the other ids, key) for each key the keymap newly gives to a second binding of one scope; the id
    named is the one whose entry brought the key (a binding keeping its default key is not at fault)."""
    for scope in scopes:
        owners: dict[str, set[str]] = {}
        defaults: dict[str, set[str]] = {}
        for binding in [*scope, *everywhere]:
            if binding.id:
                defaults.setdefault(binding.id, set()).add(binding.key)
        for binding_id, keys in defaults.items():
            for key in keymap[binding_id].split(",") if binding_id in keymap else keys:
                owners.setdefault(key, set()).add(binding_id)
        for key, ids in owners.items():
            newcomers = {i for i in ids if i in keymap and key not in defaults[i]}
            if len(ids) > 1:
                for binding_id in sorted(newcomers):
                    yield binding_id, ", ".join(sorted(ids - {binding_id})), key
