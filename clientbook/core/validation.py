"""Validation: pure functions from drafts to clean values, or one message per bad field.

Dates and times go through :mod:`.dates`, the one strict parser, so `when: am or pm?` reads the same on
every path.

No database access happens here (a point-person's existence is checked by the operation that writes), so the
same rules serve the form, the CLI and import, and are tested in microseconds. Messages are short and
lower-case because they are shown beside a field or after `field: ` on the command line.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Final, TypeVar

from clientbook.core.dates import DateProblem, parse_day, parse_moment
from clientbook.core.drafts import (
    ClientDraft,
    ConcernDraft,
    ContactDraft,
    InteractionDraft,
    ProcessDraft,
    PromiseDraft,
)
from clientbook.core.errors import ValidationError
from clientbook.core.models import ClientKind, Direction, Mood, Severity, Stage
from clientbook.core.text import multi_line, single_line

NAME_MAX: Final = 200
COMPANY_MAX: Final = 200
EMAIL_MAX: Final = 254
PHONE_MAX: Final = 40
ROLE_MAX: Final = 100
TAG_MAX: Final = 40
TAGS_MAX: Final = 20
NOTES_MAX: Final = 20_000
CONTACTS_MAX: Final = 50

# Bidirectional overrides reorder what a terminal shows; a name must read as it was typed.
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class CleanContact:
    name: str
    role: str
    email: str
    phone: str
    phone_e164: str
    is_primary: bool
    id: int | None = None


@dataclass(frozen=True)
class CleanClient:
    """A client draft that passed every rule; text trimmed and normalised, phone numbers in E.164 beside."""

    name: str
    kind: ClientKind
    point_person: str
    backup_person: str
    stage: Stage
    email: str
    phone: str
    phone_e164: str
    company: str
    timezone: str
    tags: tuple[str, ...]
    notes: str
    contacts: tuple[CleanContact, ...]
    cadence_days: int | None = None
    reply_target_hours: int | None = None


class _Collector:
    """Gathers one message per field while clean values are computed, so every problem is reported at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def line(self, field: str, raw: str, limit: int, *, required: bool = False) -> str:
        """A one-line text field, cleaned; every one-line field of every path in goes through here."""
        return self._checked(field, single_line(raw), limit, required=required, allow_newlines=False)

    def text(self, field: str, raw: str, limit: int, *, required: bool = False) -> str:
        """A text field with line breaks (notes, the client's words, a remedy), cleaned the same way."""
        return self._checked(field, multi_line(raw), limit, required=required, allow_newlines=True)

    def _checked(self, field: str, value: str, limit: int, *, required: bool, allow_newlines: bool) -> str:
        if required and not visible(value):
            # A name of zero-width characters would look blank everywhere it is shown.
            self.add(field, "required" if not value else "must contain something visible")
        elif len(value) > limit:
            self.add(field, f"at most {limit:,} characters (this has {len(value):,})")
        elif unprintable(value, allow_newlines=allow_newlines):
            self.add(field, "contains control characters")
        return value

    def email(self, field: str, raw: str) -> str:
        value = self.line(field, raw, EMAIL_MAX)
        if value and field not in self.errors:
            message = email_problem(value)
            if message:
                self.add(field, message)
        return value

    def phone(self, field: str, raw: str, region: str) -> tuple[str, str]:
        value = self.line(field, raw, PHONE_MAX)
        if not value or field in self.errors:
            return value, ""
        e164, message = normalise_phone(value, region)
        if message:
            self.add(field, message)
        return value, e164

    def choice(self, field: str, raw: str, allowed: type[E], *, required: bool) -> E | None:
        """One of an enum's values, however it was cased; None when optional and empty."""
        value = raw.strip().lower()
        if not value:
            if required:
                self.add(field, "required")
            return None
        try:
            return allowed(value)
        except ValueError:
            self.add(field, "one of " + ", ".join(member.value for member in allowed))
            return None

    def whole(self, field: str, raw: str, top: int, unit: str) -> int | None:
        """A whole number from 1 to `top`, or None when left empty."""
        text = raw.strip()
        if not text:
            return None
        # Leading zeros off and the length first: int() refuses more than 4,300 digits (a ValueError).
        digits = text.lstrip("0") or "0"
        readable = text.isascii() and text.isdigit() and len(digits) <= len(str(top))
        if not readable or not 1 <= int(digits) <= top:
            self.add(field, f"whole {unit} from 1 to {top:,}, or empty")
            return None
        return int(digits)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def unprintable(text: str, *, allow_newlines: bool = False) -> bool:
    """True for characters that garble a terminal or cannot be stored: C0/C1 controls, bidi overrides, and
    lone surrogates (what undecodable bytes become in a command-line argument)."""
    for ch in text:
        if ch in "\n\t" and allow_newlines:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_CONTROLS:
            return True
    return False


# Letters that draw nothing: Hangul fillers and the blank Braille pattern, favourite stand-ins for a space.
_BLANK_LETTERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(text: str) -> bool:
    """Whether `text` shows anything: one character that is not white space, a format character (zero-width
    space, joiners, BOM), a control, a combining mark on its own, or a blank letter."""
    return any(
        not ch.isspace()
        and unicodedata.category(ch) not in ("Cf", "Cc", "Cs", "Mn", "Me", "Zs", "Zl", "Zp")
        and ch not in _BLANK_LETTERS
        for ch in text
    )


def email_problem(value: str) -> str:
    """Why `value` is not a usable email address, or '' when it is (syntax only: no network look-ups)."""
    # Imported when an email is checked, not with this module: email-validator and phonenumbers take ~40 ms
    # to import, and every command imports this module, most of them (every list) to check nothing.
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        return f"not a valid email: {str(error).rstrip('.')}"
    return ""


def normalise_phone(value: str, region: str) -> tuple[str, str]:
    """(E.164 form, '') for a usable number, or ('', message) for one that is not."""
    import phonenumbers  # noqa: PLC0415 - when a number is checked (see email_problem)

    try:
        number = phonenumbers.parse(value, region.upper() or None)
    except phonenumbers.NumberParseException:
        if not region and not value.startswith("+"):
            return "", "add the country code (+44 ...), or set phone_region in settings"
        return "", "not a phone number"
    if not phonenumbers.is_valid_number(number):
        if value.startswith("+"):
            where = phonenumbers.region_code_for_number(number) or "its country"
            return "", f"not a valid phone number for {where}"
        # A number from abroad typed without its country code is the usual cause: say how to fix it.
        return "", f"not a valid phone number for {region.upper()} (add +country for another country)"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


@cache
def _zones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def canonical_zone(value: str) -> str | None:
    """The IANA zone name `value` means, whatever its case (`europe/london` -> `Europe/London`)."""
    return _zones().get(value.strip().casefold())


def validate_place(timezone: str, phone_region: str) -> tuple[str, str]:
    """A time zone (an IANA name, any case) and a phone region (a two-letter country code phonenumbers
    knows, any case, or '' for "every number has its +country"), cleaned; raises on `timezone` and
    `phone_region`. The first-run dialog saves what passes to the settings file."""
    import phonenumbers  # noqa: PLC0415 - when a region is checked (see email_problem)

    errors = _Collector()
    zone = canonical_zone(timezone) or ""
    if not zone:
        errors.add("timezone", "not a time zone (try Europe/London or America/New_York)")
    region = phone_region.strip().upper()
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        errors.add("phone_region", "a two-letter country code such as GB or US, or empty")
    errors.raise_if_any()
    return zone, region


def all_zones() -> list[str]:
    """Every IANA zone name, sorted (for suggestions)."""
    return sorted(_zones().values())


def clean_tags(raw: str, errors: _Collector) -> tuple[str, ...]:
    tags: list[str] = []
    seen: set[str] = set()
    for part in raw.split(","):
        tag = single_line(part)
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > TAG_MAX:
            errors.add("tags", f"each tag at most {TAG_MAX} characters")
        elif not visible(tag):
            errors.add("tags", "each tag must contain something visible")
        elif unprintable(tag):
            errors.add("tags", "contains control characters")
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        errors.add("tags", f"at most {TAGS_MAX} tags")
    return tuple(tags)


def _clean_contacts(
    contacts: tuple[ContactDraft, ...], region: str, errors: _Collector
) -> list[CleanContact]:
    clean: list[CleanContact] = []
    if len(contacts) > CONTACTS_MAX:
        errors.add("contacts", f"at most {CONTACTS_MAX} contact people")
    for number, contact in enumerate(contacts[:CONTACTS_MAX], start=1):
        prefix = f"contacts.{number}."
        name = errors.line(prefix + "name", contact.name, NAME_MAX, required=True)
        role = errors.line(prefix + "role", contact.role, ROLE_MAX)
        email = errors.email(prefix + "email", contact.email)
        phone, e164 = errors.phone(prefix + "phone", contact.phone, region)
        clean.append(CleanContact(name, role, email, phone, e164, contact.is_primary, contact.id))
    primaries = [c for c in clean if c.is_primary]
    if len(primaries) > 1:
        errors.add("contacts", "only one contact person can be primary")
    elif clean and not primaries:
        first = clean[0]
        clean[0] = CleanContact(
            first.name, first.role, first.email, first.phone, first.phone_e164, True, first.id
        )
    return clean


def validate_client(draft: ClientDraft, *, phone_region: str) -> CleanClient:
    """Check every field of `draft`, raising one :class:`ValidationError` that names all bad fields."""
    errors = _Collector()
    name = errors.line("name", draft.name, NAME_MAX, required=True)
    kind = errors.choice("kind", draft.kind, ClientKind, required=True) or ClientKind.PERSON
    point_person = draft.point_person.strip()
    if not point_person:
        errors.add("point_person", "required")
    backup_person = draft.backup_person.strip()
    if backup_person and backup_person == point_person:
        errors.add("backup_person", "must be someone other than the point-person")
    stage = errors.choice("stage", draft.stage, Stage, required=True) or Stage.LEAD
    email = errors.email("email", draft.email)
    phone, phone_e164 = errors.phone("phone", draft.phone, phone_region)
    company = errors.line("company", draft.company, COMPANY_MAX)
    timezone = ""
    if draft.timezone.strip():
        timezone = canonical_zone(draft.timezone) or ""
        if not timezone:
            errors.add("timezone", "not a time zone (try Europe/London or America/New_York)")
    tags = clean_tags(draft.tags, errors)
    notes = errors.text("notes", draft.notes, NOTES_MAX)
    contacts: list[CleanContact] = []
    if draft.contacts and kind is ClientKind.PERSON:
        errors.add("contacts", "only an organisation has contact people")
    else:
        contacts = _clean_contacts(draft.contacts, phone_region, errors)
    cadence_days = errors.whole("cadence_days", draft.cadence_days, 3650, "days")
    reply_target_hours = errors.whole("reply_target_hours", draft.reply_target_hours, 24 * 90, "hours")
    reachable = email or phone or any(c.email or c.phone for c in contacts)
    if not reachable and "email" not in errors.errors and "phone" not in errors.errors:
        errors.add("email", "give an email or a phone number")
    errors.raise_if_any()
    return CleanClient(
        name=name,
        kind=kind,
        point_person=point_person,
        backup_person=backup_person,
        stage=stage,
        email=email,
        phone=phone,
        phone_e164=phone_e164,
        company=company,
        timezone=timezone,
        tags=tags,
        notes=notes,
        contacts=tuple(contacts),
        cadence_days=cadence_days,
        reply_target_hours=reply_target_hours,
    )


def validate_staff_name(raw: str) -> str:
    """A staff member's name, cleaned; raises :class:`ValidationError` on `name`."""
    errors = _Collector()
    name = errors.line("name", raw, NAME_MAX, required=True)
    errors.raise_if_any()
    return name


SUMMARY_MAX: Final = 300
DETAILS_MAX: Final = 20_000
CLOCK_SKEW: Final = timedelta(minutes=5)
"""How far ahead of this clock an interaction may be logged (another device's clock may run fast)."""
FUTURE_MESSAGE: Final = "is in the future: use a follow-up or a promise for what is planned"


@dataclass(frozen=True)
class CleanInteraction:
    """An interaction draft that passed every rule; `at` is aware, in the zone it was entered in."""

    client: str
    at: datetime
    zone: str
    channel: str
    direction: Direction
    summary: str
    details: str
    handled_by: str
    follow_up: date | None
    mood: Mood | None
    answers: tuple[int, ...] | None


def validate_interaction(
    draft: InteractionDraft, *, zone: str, now: datetime, channels: Collection[str]
) -> CleanInteraction:
    """Check every field of `draft`; times are read in `zone` (the user's) by the strict parser."""
    errors = _Collector()
    client = draft.client.strip()
    if not client:
        errors.add("client", "required")
    at = now
    try:
        at = parse_moment(draft.when, zone=zone, now=now, prefer="past")
    except DateProblem as problem:
        errors.add("when", str(problem))
    else:
        if at > now + CLOCK_SKEW:
            errors.add("when", FUTURE_MESSAGE)
    channel = draft.channel.strip().lower()
    if not channel:
        errors.add("channel", "required")
    elif channel not in channels:
        errors.add("channel", "one of " + ", ".join(channels))
    direction = errors.choice("direction", draft.direction, Direction, required=True) or Direction.INTERNAL
    summary = errors.line("summary", draft.summary, SUMMARY_MAX, required=True)
    details = errors.text("details", draft.details, DETAILS_MAX)
    handled_by = draft.handled_by.strip()
    if not handled_by:
        errors.add("handled_by", "required")
    follow_up = None
    if draft.follow_up.strip():
        try:
            follow_up = parse_day(draft.follow_up, zone=zone, now=now, prefer="future")
        except DateProblem as problem:
            errors.add("follow_up", str(problem))
    mood = errors.choice("mood", draft.mood, Mood, required=False)
    if draft.answers and direction is not Direction.OUTBOUND:
        errors.add("answers", "only an outbound interaction answers messages")
    errors.raise_if_any()
    return CleanInteraction(
        client=client,
        at=at,
        zone=zone,
        channel=channel,
        direction=direction,
        summary=summary,
        details=details,
        handled_by=handled_by,
        follow_up=follow_up,
        mood=mood,
        answers=draft.answers,
    )


STEPS_MAX: Final = 100
STEP_NOTE_MAX: Final = 2_000
DUE_DAYS_MAX: Final = 3_650


@dataclass(frozen=True)
class CleanStep:
    title: str
    note: str
    due_days: int | None


@dataclass(frozen=True)
class CleanProcess:
    name: str
    description: str
    steps: tuple[CleanStep, ...]


def validate_process(draft: ProcessDraft) -> CleanProcess:
    """A process needs a name and at least one step; each step a title, and a due offset of whole days."""
    errors = _Collector()
    name = errors.line("name", draft.name, NAME_MAX, required=True)
    description = errors.text("description", draft.description, NOTES_MAX)
    steps: list[CleanStep] = []
    if not draft.steps:
        errors.add("steps", "a process needs at least one step")
    if len(draft.steps) > STEPS_MAX:
        errors.add("steps", f"at most {STEPS_MAX} steps")
    for number, step in enumerate(draft.steps[:STEPS_MAX], start=1):
        prefix = f"steps.{number}."
        title = errors.line(prefix + "title", step.title, SUMMARY_MAX, required=True)
        note = errors.text(prefix + "note", step.note, STEP_NOTE_MAX)
        due: int | None = None
        text = step.due_days.strip()
        if text:
            digits = text.lstrip("0") or "0"  # int() refuses more than 4,300 digits
            if not (text.isascii() and text.isdigit()) or len(digits) > 4 or int(digits) > DUE_DAYS_MAX:
                errors.add(prefix + "due_days", f"whole days after the start, 0 to {DUE_DAYS_MAX:,}")
            else:
                due = int(digits)
        steps.append(CleanStep(title, note, due))
    errors.raise_if_any()
    return CleanProcess(name=name, description=description, steps=tuple(steps))


STEP_DONE_NOTE_MAX: Final = 200


def validate_short_note(text: str) -> str:
    """A one-line note on a ticked step ("sent the welcome pack by post"); raises on `note`."""
    errors = _Collector()
    note = errors.line("note", text, STEP_DONE_NOTE_MAX)
    errors.raise_if_any()
    return note


def validate_long_text(text: str, limit: int, *, field: str = "text") -> str:
    """Free text with line breaks (a remedy, a note) checked as every text is; raises on `field`."""
    errors = _Collector()
    clean = errors.text(field, text, limit)
    errors.raise_if_any()
    return clean


PROMISE_MAX: Final = 300


@dataclass(frozen=True)
class CleanPromise:
    client: str
    what: str
    made_by: str
    due: date


def validate_promise(draft: PromiseDraft, *, zone: str, now: datetime) -> CleanPromise:
    """A promise needs a client, what was promised, who made it and a due day (the strict parser's)."""
    errors = _Collector()
    client = draft.client.strip()
    if not client:
        errors.add("client", "required")
    what = errors.line("what", draft.what, PROMISE_MAX, required=True)
    made_by = draft.made_by.strip()
    if not made_by:
        errors.add("made_by", "required")
    due = now.date()
    try:
        due = parse_day(draft.due, zone=zone, now=now, prefer="future")
    except DateProblem as problem:
        errors.add("due", str(problem))
    errors.raise_if_any()
    return CleanPromise(client=client, what=what, made_by=made_by, due=due)


def validate_new_due(day: date, today: date) -> date:
    """A promise's renegotiated due day: today or later (a new day agreed with the client is never past).

    Raises :class:`ValidationError` on `due`. `today` is the user's local day.
    """
    if day < today:
        raise ValidationError({"due": f"{day:%a} {day.day} {day:%b %Y} is past: agree a day from today on"})
    return day


@dataclass(frozen=True)
class CleanConcern:
    client: str
    words: str
    severity: Severity
    owner: str


def validate_concern(draft: ConcernDraft) -> CleanConcern:
    """A concern needs the client, their words and a severity; the owner may be left to the point-person."""
    errors = _Collector()
    client = draft.client.strip()
    if not client:
        errors.add("client", "required")
    words = errors.text("words", draft.words, NOTES_MAX, required=True)
    severity = errors.choice("severity", draft.severity, Severity, required=True) or Severity.LOW
    errors.raise_if_any()
    return CleanConcern(client=client, words=words, severity=severity, owner=draft.owner.strip())
