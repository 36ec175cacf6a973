"""Validation rules, as the form, the CLI and import all see them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientbook.core.drafts import ClientDraft, ContactDraft
from clientbook.core.errors import ValidationError
from clientbook.core.validation import NAME_MAX, NOTES_MAX, canonical_zone, validate_client


def errors_of(draft: ClientDraft, region: str = "GB") -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_client(draft, phone_region=region)
    return caught.value.errors


def valid(**fields: object) -> ClientDraft:
    base: dict[str, object] = {"name": "Alice Anders", "point_person": "pat", "email": "alice@example.com"}
    base.update(fields)
    return ClientDraft(**base)  # type: ignore[arg-type]


def test_a_complete_draft_is_cleaned() -> None:
    clean = validate_client(
        valid(
            name="  Alice   Anders ",
            phone="020 7946 0958",
            tags="design, Retainer,design,",
            timezone="europe/london",
        ),
        phone_region="GB",
    )
    assert clean.name == "Alice Anders"
    assert clean.phone == "020 7946 0958"
    assert clean.phone_e164 == "+442079460958"
    assert clean.tags == ("design", "Retainer")
    assert clean.timezone == "Europe/London"


@pytest.mark.parametrize("name", ["", "   ", "\t\n ", "\u00a0"])
def test_empty_or_whitespace_name_is_required(name: str) -> None:
    assert errors_of(valid(name=name))["name"] == "required"


def test_every_bad_field_is_reported_at_once() -> None:
    errors = errors_of(ClientDraft(name="", point_person="", stage="vip", email="pat@", phone="12"))
    assert set(errors) == {"name", "point_person", "stage", "email", "phone"}
    assert errors["stage"].startswith("one of lead, onboarding")


def test_overlong_text_gets_a_limit_message() -> None:
    errors = errors_of(valid(name="x" * (NAME_MAX + 5), notes="n" * (NOTES_MAX + 1)))
    assert errors["name"] == f"at most {NAME_MAX} characters (this has {NAME_MAX + 5})"
    assert errors["notes"].startswith("at most 20,000 characters")


@pytest.mark.parametrize("name", ["Bell\x07", "Esc\x1b[31mred", "evil\u202eoverride", "nul\x00"])
def test_control_characters_are_refused(name: str) -> None:
    assert errors_of(valid(name=name))["name"] == "contains control characters"


@pytest.mark.parametrize("name", ["Zoë Núñez", "李小龍", "Ævar 👩‍💻", "O'Brien & Co.", "Ŝ̶t̶r̶i̶k̶e̶"])
def test_odd_but_printable_unicode_is_kept(name: str) -> None:
    assert validate_client(valid(name=name), phone_region="GB").name == name


def test_notes_keep_their_lines_but_not_escapes() -> None:
    assert validate_client(valid(notes="one\r\ntwo  \n"), phone_region="GB").notes == "one\ntwo"
    assert errors_of(valid(notes="\x1b[2J"))["notes"] == "contains control characters"


@pytest.mark.parametrize("email", ["pat@", "@example.com", "pat example@x.com", "pat@@x.com", "pat@x"])
def test_malformed_emails_are_refused(email: str) -> None:
    assert errors_of(valid(email=email))["email"].startswith("not a valid email")


def test_phone_numbers_are_read_in_the_settings_region() -> None:
    assert validate_client(valid(phone="(202) 555-0143"), phone_region="US").phone_e164 == "+12025550143"
    assert errors_of(valid(phone="12345"))["phone"].startswith("not a valid phone number")
    assert errors_of(valid(phone="abc"))["phone"] == "not a phone number"


def test_without_a_region_a_phone_needs_its_country_code() -> None:
    assert errors_of(valid(email="", phone="020 7946 0958"), region="")["phone"].startswith(
        "add the country code"
    )
    assert validate_client(valid(phone="+44 20 7946 0958"), phone_region="").phone_e164 == "+442079460958"


def test_a_client_needs_a_way_to_reach_them() -> None:
    assert errors_of(valid(email=""))["email"] == "give an email or a phone number"
    assert validate_client(valid(email="", phone="020 7946 0958"), phone_region="GB")


def test_an_organisation_can_be_reached_through_a_contact() -> None:
    draft = valid(kind="organisation", email="", contacts=(ContactDraft(name="Ann Lee", email="ann@x.org"),))
    clean = validate_client(draft, phone_region="GB")
    assert clean.contacts[0].is_primary  # the only contact becomes primary


def test_contact_people_are_validated_field_by_field() -> None:
    contacts = (ContactDraft(name=" ", email="bad@"), ContactDraft(name="Bo", phone="12345"))
    errors = errors_of(valid(kind="organisation", contacts=contacts))
    assert errors["contacts.1.name"] == "required"
    assert errors["contacts.1.email"].startswith("not a valid email")
    assert errors["contacts.2.phone"].startswith("not a valid phone number")


def test_only_one_contact_is_primary_and_only_organisations_have_contacts() -> None:
    two = (ContactDraft(name="A", is_primary=True), ContactDraft(name="B", is_primary=True))
    assert (
        errors_of(valid(kind="organisation", contacts=two))["contacts"]
        == "only one contact person can be primary"
    )
    assert errors_of(valid(contacts=two[:1]))["contacts"] == "only an organisation has contact people"


def test_time_zones_are_iana_names_in_any_case() -> None:
    assert canonical_zone("AMERICA/new_york") == "America/New_York"
    assert errors_of(valid(timezone="Mars/Olympus"))["timezone"].startswith("not a time zone")


def test_backup_person_differs_from_point_person() -> None:
    assert "backup_person" in errors_of(valid(backup_person="pat"))


@given(
    name=st.text(max_size=300),
    email=st.text(max_size=60),
    phone=st.text(max_size=30),
    notes=st.text(max_size=200),
    tags=st.text(max_size=80),
)
def test_any_text_is_either_valid_or_a_validation_error(
    name: str, email: str, phone: str, notes: str, tags: str
) -> None:
    draft = ClientDraft(name=name, point_person="pat", email=email, phone=phone, notes=notes, tags=tags)
    try:
        clean = validate_client(draft, phone_region="GB")
    except ValidationError as error:
        assert error.errors
        assert all(isinstance(message, str) and message for message in error.errors.values())
    else:
        assert clean.name and clean.name == clean.name.strip()


def test_an_interaction_in_the_future_is_refused_beyond_clock_skew() -> None:
    from datetime import UTC, datetime

    from clientbook.core.drafts import InteractionDraft
    from clientbook.core.validation import validate_interaction

    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def draft(when: str) -> InteractionDraft:
        return InteractionDraft(
            client="alice", when=when, channel="call", direction="inbound", summary="Hi", handled_by="pat"
        )

    with pytest.raises(ValidationError) as caught:
        validate_interaction(draft("in 3 days"), zone="UTC", now=now, channels=["call"])
    assert caught.value.errors == {
        "when": "is in the future: use a follow-up or a promise for what is planned"
    }
    # Another device's clock running a few minutes fast is fine.
    assert validate_interaction(draft("today 10:04am"), zone="UTC", now=now, channels=["call"]).at.minute == 4


def test_a_renegotiated_due_day_is_today_or_later() -> None:
    from datetime import date

    from clientbook.core.validation import validate_new_due

    today = date(2026, 11, 23)
    assert validate_new_due(today, today) == today
    with pytest.raises(ValidationError) as caught:
        validate_new_due(date(2026, 11, 20), today)
    assert caught.value.errors == {"due": "Fri 20 Nov 2026 is past: agree a day from today on"}
