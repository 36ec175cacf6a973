"""The settings file: defaults when missing, clear messages naming the line when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientbook.core.validation import canonical_zone
from clientbook.settings import SettingsError, default_database, load_settings, settings_path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml")
    assert settings.owner == ""
    assert settings.phone_region == "GB"  # from LANG=en_GB.UTF-8 in the test environment
    assert settings.source is None


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'owner = "Pat Owner"\ntimezone = "america/new_york"\nphone_region = "us"\n'
        '[keymap]\n"clients.new" = "n,insert"\n',
    )
    settings = load_settings(path)
    assert (settings.owner, settings.timezone, settings.phone_region) == (
        "Pat Owner",
        "America/New_York",
        "US",
    )
    assert dict(settings.keymap) == {"clients.new": "n,insert"}


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'owner = "Pat"\ntimezone = \n')
    with pytest.raises(SettingsError, match=r"line 2"):
        load_settings(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('owner = "Pat"\ncolour = "blue"\n', r"line 2: colour: unknown setting"),
        ('\n\ntimezone = "Mars/Base"\n', r"line 3: timezone: 'Mars/Base' is not a time zone"),
        ('phone_region = "Britain"\n', r"line 1: phone_region: a two-letter country code"),
        ("owner = 42\n", r"line 1: owner: must be text in quotes"),
        ('keymap = "n"\n', r"line 1: keymap: a table"),
    ],
)
def test_wrong_values_name_the_setting_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(write(tmp_path, text))


def test_paths_follow_xdg_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_path() == tmp_path / "config" / "clientbook" / "settings.toml"
    assert default_database() == str(tmp_path / "data" / "clientbook" / "clientbook.db")
    monkeypatch.setenv("CLIENTBOOK_DB", "/elsewhere/book.db")
    assert default_database() == "/elsewhere/book.db"


def test_care_settings_are_read_and_checked(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, "reply_target_hours = 4\nkey_dates_ahead = 30\n[cadence]\nactive = 10\nformer = 0\n")
    )
    assert (settings.reply_target_hours, settings.key_dates_ahead) == (4, 30)
    assert (
        settings.cadence["active"] == 10
        and settings.cadence["former"] is None
        and settings.cadence["lead"] == 7
    )
    with pytest.raises(SettingsError, match=r"line 1: reply_target_hours: a whole number from 1 to 2160"):
        load_settings(write(tmp_path, "reply_target_hours = 0\n"))
    with pytest.raises(SettingsError, match=r"line 2: cadence.vip: not a stage"):
        load_settings(write(tmp_path, "[cadence]\nvip = 3\n"))
    with pytest.raises(SettingsError, match=r"line 2: cadence.active: days from 1 to 3650, or 0 for never"):
        load_settings(write(tmp_path, '[cadence]\nactive = "often"\n'))


def test_a_c_locale_names_no_phone_region(monkeypatch: pytest.MonkeyPatch) -> None:
    from clientbook.settings import system_phone_region

    monkeypatch.setenv("LANG", "C.UTF-8")
    assert system_phone_region() == ""  # not the en_US Python maps C.UTF-8 to
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert system_phone_region() == "GB"


def test_a_settings_file_starting_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes('\ufefftimezone = "Europe/Paris"\nowner = "Zoë"\n'.encode())
    settings = load_settings(path)
    assert (settings.timezone, settings.owner) == ("Europe/Paris", "Zoë")


def test_a_deeply_nested_settings_file_is_refused_not_crashed(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="nested too deeply"):
        load_settings(write(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n"))


def test_a_file_that_is_not_utf8_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b'owner = "Zo\xeb"\n')
    with pytest.raises(SettingsError, match="not UTF-8"):
        load_settings(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('owner = "P"\n\n[cadence.lead]\ndays = 7\n', r"line 3: cadence.lead: a number of days, not a table"),
        ("[cadence]\nactive = 10\n[cadence.vip]\n", r"line 3: cadence.vip: not a stage"),
        ('[keymap]\n"clients.new" = "n"\n"log.search" = 5\n', r"line 3: keymap.log.search: keys in quotes"),
        ("[keymap]\n'care.done' = true\n", r"line 2: keymap.care.done: keys in quotes"),
    ],
)
def test_mistakes_inside_tables_name_the_line_and_setting(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(write(tmp_path, text))


def test_where_each_setting_was_given_is_kept_for_later_messages(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '# me\nowner = "Pat"\n\n[keymap]\n"clients.new" = "a"\n'))
    assert settings.where("owner").endswith("settings.toml line 2")
    assert settings.where("keymap.clients.new").endswith("settings.toml line 5")


@pytest.mark.parametrize(
    ("tz", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        (":America/New_York", "America/New_York"),
        ("Etc/UTC", "Etc/UTC"),
        ("right/Europe/Paris", "Europe/Paris"),
        ("posix/Asia/Tokyo", "Asia/Tokyo"),
    ],
)
def test_the_zone_tz_names_is_the_default(monkeypatch: pytest.MonkeyPatch, tz: str, zone: str) -> None:
    monkeypatch.setenv("TZ", tz)
    assert load_settings().timezone == zone


@pytest.mark.parametrize("tz", ["Nowhere/Special", "CET-1CEST", "../../etc/passwd", "posixrules"])
def test_a_tz_naming_no_zone_falls_back_to_a_real_one(monkeypatch: pytest.MonkeyPatch, tz: str) -> None:
    """Not taken as a zone name: the machine's own zone (or UTC) is used instead, never the odd text."""
    monkeypatch.setenv("TZ", tz)
    zone = load_settings().timezone
    assert zone != tz
    assert canonical_zone(zone) == zone  # a name the first-run dialog accepts
