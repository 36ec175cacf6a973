"""Settings: one TOML file in the user's config directory, resolved once by the CLI and passed in.

A missing file means every default; a malformed one is refused with a message naming its line. Every setting
is listed in README.md ("Settings"). Nothing here touches disk or the environment at import time.

```toml
owner = "Pat Owner"          # who you are in the book (default: the book's owner)
timezone = "Europe/London"   # how times are shown (default: the system's zone)
phone_region = "GB"          # how phone numbers without +country are read (default: from the locale)
reply_target_hours = 24      # an inbound message waiting longer is overdue
key_dates_ahead = 14         # days ahead that birthdays and renewals show on the care screen

[cadence]                    # days a client of each stage may go without contact (0: never)
active = 30

[keymap]                     # binding id = keys, to remap any key (ids are listed by f1)
"clients.new" = "n,insert"
```
"""

from __future__ import annotations

import contextlib
import locale
import os
import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import platformdirs

from clientbook.core import privacy

if TYPE_CHECKING:
    from clientbook.core.care.queries import CarePolicy

APP_NAME: Final = "clientbook"
KNOWN_KEYS: Final = (
    "owner",
    "timezone",
    "phone_region",
    "reply_target_hours",
    "key_dates_ahead",
    "cadence",
    "keymap",
)
DEFAULT_CADENCE: Final = MappingProxyType(
    {"lead": 7, "onboarding": 7, "active": 30, "post-sale": 14, "dormant": 90, "former": None}
)


class SettingsError(Exception):
    """The settings file cannot be used; the message names the file and, where known, the line."""


@dataclass(frozen=True)
class Settings:
    """What the user chose, with defaults filled in."""

    owner: str = ""
    """Your name as a staff member of the book; empty means the book's owner."""
    timezone: str = "UTC"
    """IANA zone that times are shown in."""
    phone_region: str = ""
    """ISO country code used to read phone numbers typed without +country ('' requires +country)."""
    reply_target_hours: int = 24
    """How long an inbound message may wait for a reply before it is overdue."""
    key_dates_ahead: int = 14
    """How many days ahead the care screen shows birthdays, renewals and other key dates."""
    cadence: Mapping[str, int | None] = field(default_factory=lambda: DEFAULT_CADENCE)
    """Days a client of each stage may go without contact before needing care (None: never)."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Binding id -> comma-separated keys, applied with Textual's `App.set_keymap`."""
    source: Path | None = None
    """The file these came from, or None when it did not exist."""
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """The line each setting was given on (`owner`, `keymap.clients.new`), for messages about its value."""

    def where(self, setting: str) -> str:
        """`/path/settings.toml line 3`: where `setting` was given, for a message that points at it."""
        line = self.lines.get(setting)
        return f"{self.source}{f' line {line}' if line else ''}"


def settings_path() -> Path:
    """`$CLIENTBOOK_SETTINGS`, else `settings.toml` in the user's config directory (XDG_CONFIG_HOME)."""
    override = os.environ.get("CLIENTBOOK_SETTINGS")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME) / "settings.toml"


def data_dir() -> Path:
    """The user's data directory for clientbook (XDG_DATA_HOME on Linux)."""
    return platformdirs.user_data_path(APP_NAME)


def crash_log_path() -> Path:
    """Where the TUI writes the details of a crash: `crash.log` in the user's state directory
    (XDG_STATE_HOME on Linux)."""
    return platformdirs.user_state_path(APP_NAME) / "crash.log"


def default_database() -> str:
    """`$CLIENTBOOK_DB`, else `clientbook.db` in the user's data directory."""
    return os.environ.get("CLIENTBOOK_DB") or str(data_dir() / "clientbook.db")


def system_timezone() -> str:
    """The system's IANA zone name, or UTC when it cannot be told.

    The usual answers are read directly (TZ naming a zone, or /etc/localtime linking to one); only the rest
    are asked of tzlocal, whose import alone was 10 ms of every command run without a chosen zone."""
    if named := _named_zone():
        return named
    try:
        import tzlocal  # noqa: PLC0415 - only needed when the user did not choose a zone

        name = tzlocal.get_localzone_name()
    except Exception:
        return "UTC"
    return name or "UTC"


def _named_zone() -> str:
    """The zone `TZ` names (`Europe/Paris`, `:Europe/Paris`), else the one /etc/localtime links to; '' when
    neither names a zone this machine has (a POSIX rule such as `CET-1`, a copied file)."""
    name = os.environ.get("TZ", "").removeprefix(":")
    if not name:
        try:
            target = str(Path("/etc/localtime").readlink())
        except OSError:
            return ""
        _, found, name = target.rpartition("zoneinfo/")
        if not found:
            return ""
    # The `posix/` and `right/` trees copy the zones (`right/` counting leap seconds, which no clock here
    # keeps); the zone is the one they copy. `posixrules` and `localtime` are links, not names.
    name = name.removeprefix("posix/").removeprefix("right/")
    if name in {"posixrules", "localtime", "Factory"}:
        return ""
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return ""
    return name


def system_phone_region() -> str:
    """The country part of the user's locale (`en_GB.UTF-8` -> `GB`), or '' when there is none.

    A `C` or `POSIX` locale (`C.UTF-8` in containers) names no country: '' then, not the `en_US` that Python
    maps it to, so numbers need their +country until the user picks a region.
    """
    candidates = [os.environ.get(name, "") for name in ("LC_ALL", "LC_TELEPHONE", "LANG")]
    chosen = next((c for c in candidates if c), "")
    if re.match(r"^(C|POSIX)([._@]|$)", chosen):
        return ""
    with contextlib.suppress(ValueError):  # an unknown locale name in the environment
        candidates.append(locale.getlocale()[0] or "")
    for candidate in candidates:
        match = re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", candidate)
        if match:
            return match.group(1)
    return ""


def _key_pattern(key: str) -> str:
    return rf"[ \t]*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})[ \t]*"


def _line_of(text: str, key: str, table: str = "") -> int | None:
    """The line where `key` is set (inside `[table]` when given), or where a `[table.key]` table starts."""
    found = None
    if table:
        header = rf"^[ \t]*\[{_key_pattern(table)}\.{_key_pattern(key)}\]"
        found = re.compile(header, re.MULTILINE).search(text)
    if found is None:
        start = 0
        if table:
            section = re.compile(rf"^[ \t]*\[{_key_pattern(table)}\]", re.MULTILINE).search(text)
            start = section.end() if section else 0
        found = re.compile(rf"^{_key_pattern(key)}=", re.MULTILINE).search(text, start)
    return text.count("\n", 0, found.start()) + 1 if found else None


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (default :func:`settings_path`); raise :class:`SettingsError` if unusable.

    Every refusal names the file, the line and the setting. Keymap ids and keys are checked by the app,
    which knows its bindings (see :mod:`clientbook.ui.keymap`); here only their shape is.
    """
    path = path or settings_path()
    try:
        # utf-8-sig: editors on Windows start the file with a byte-order mark, which TOML does not expect.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Settings(timezone=system_timezone(), phone_region=system_phone_region())
    except UnicodeDecodeError:
        raise SettingsError(f"cannot read settings file {path}: it is not UTF-8 text") from None
    except OSError as error:
        raise SettingsError(f"cannot read settings file {path}: {error.strerror or error}") from error
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: {error}") from error
    except RecursionError:
        raise SettingsError(f"{path}: arrays or tables nested too deeply to be a settings file") from None
    return _settings(data, _Refusals(path, text))


@dataclass(frozen=True)
class _Refusals:
    """Makes the :class:`SettingsError` for a setting, pointing at its line."""

    path: Path
    text: str

    def __call__(self, key: str, message: str, table: str = "") -> SettingsError:
        line = _line_of(self.text, key, table)
        name = f"{table}.{key}" if table else key
        return SettingsError(f"{self.path}{f' line {line}' if line else ''}: {name}: {message}")


def _settings(data: dict[str, Any], fail: _Refusals) -> Settings:
    from clientbook.core.text import shown  # noqa: PLC0415 - keeps import time low
    from clientbook.core.validation import canonical_zone  # noqa: PLC0415

    for key in data:
        if key not in KNOWN_KEYS:
            raise fail(key, f"unknown setting (known: {', '.join(KNOWN_KEYS)})")
    for key in ("owner", "timezone", "phone_region"):
        if key in data and not isinstance(data[key], str):
            raise fail(key, "must be text in quotes")
    timezone = system_timezone()
    if "timezone" in data:
        zone = canonical_zone(data["timezone"])
        if zone is None:
            raise fail("timezone", f"{shown(data['timezone'])} is not a time zone (try Europe/London)")
        timezone = zone
    region = system_phone_region()
    if "phone_region" in data:
        region = data["phone_region"].strip().upper()
        if region and not re.fullmatch(r"[A-Z]{2}", region):
            raise fail("phone_region", "a two-letter country code such as GB or US")
    numbers = {}
    for key, default, top in (("reply_target_hours", 24, 24 * 90), ("key_dates_ahead", 14, 366)):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise fail(key, f"a whole number from 1 to {top}")
        numbers[key] = value
    keymap = _keymap(data.get("keymap", {}), fail)
    lines = {key: line for key in data if (line := _line_of(fail.text, key))}
    lines |= {f"keymap.{b}": line for b in keymap if (line := _line_of(fail.text, b, "keymap"))}
    return Settings(
        owner=data.get("owner", "").strip(),
        timezone=timezone,
        phone_region=region,
        reply_target_hours=numbers["reply_target_hours"],
        key_dates_ahead=numbers["key_dates_ahead"],
        cadence=_cadence(data.get("cadence", {}), fail),
        keymap=MappingProxyType(keymap),
        source=fail.path,
        lines=MappingProxyType(lines),
    )


def _cadence(given: object, fail: _Refusals) -> Mapping[str, int | None]:
    cadence = dict(DEFAULT_CADENCE)
    if not isinstance(given, dict):
        raise fail("cadence", 'a table of stage = days, e.g. [cadence] active = 30 (0 for "never")')
    for stage, days in given.items():
        if stage not in DEFAULT_CADENCE:
            raise fail(stage, f"not a stage (stages: {', '.join(DEFAULT_CADENCE)})", "cadence")
        if isinstance(days, dict):
            raise fail(stage, f"a number of days, not a table: write {stage} = 30 under [cadence]", "cadence")
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3650:
            raise fail(stage, "days from 1 to 3650, or 0 for never", "cadence")
        cadence[stage] = days or None
    return MappingProxyType(cadence)


def _keymap(given: object, fail: _Refusals) -> dict[str, str]:
    if not isinstance(given, dict):
        raise fail("keymap", 'a table of binding id = "keys"')
    for binding_id, keys in given.items():
        if not isinstance(keys, str):
            raise fail(binding_id, 'keys in quotes, e.g. "n,insert"', "keymap")
    return dict(given)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch >= " " else f"\\u{ord(ch):04x}" for ch in escaped) + '"'


def save_settings(changes: Mapping[str, str], path: Path | None = None) -> Path:
    """Write these top-level text settings to the settings file (default :func:`settings_path`), keeping
    everything else in it as it was: a key already set has its line replaced, a new one goes before the first
    table. A new file is 0600 in a new 0700 folder. Returns the file written; raises :class:`SettingsError`
    when it cannot be written."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read settings file {path}: {error}") from error
    lines = text.splitlines()
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    for key, value in changes.items():
        line = f"{key} = {_toml_string(value)}"
        pattern = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=")
        at = next((i for i in range(first_table) if pattern.match(lines[i])), None)
        if at is not None:
            lines[at] = line
        else:
            lines.insert(first_table, line)
            first_table += 1
    try:
        privacy.make_folders(path.parent)
        privacy.write_text(path, "\n".join(lines) + "\n")  # a new file 0600, an existing one keeps its mode
    except OSError as error:
        raise SettingsError(f"cannot write settings file {path}: {error.strerror}") from error
    return path


def care_policy(settings: Settings) -> CarePolicy:
    """The care rules the core applies, from these settings."""
    from clientbook.core.care.queries import CarePolicy  # noqa: PLC0415 - keeps import time low

    return CarePolicy(
        reply_target_hours=settings.reply_target_hours,
        cadence=dict(settings.cadence),
        key_dates_ahead=settings.key_dates_ahead,
    )
