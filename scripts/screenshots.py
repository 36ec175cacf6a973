"""Regenerate README pictures in screenshots/ (SVG from Textual, PNG via cairosvg) from a seeded demo book.

Run: `.venv/bin/pip install '.[screenshots]' && .venv/bin/python scripts/screenshots.py`. PNGs are drawn in
DejaVu Sans Mono (Debian's fonts-dejavu-core), the one monospace font here with every glyph the screens use.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import cairosvg
from textual.pilot import Pilot
from textual.widgets import Input

from clientbook.core import clock
from clientbook.core.clients.operations import create_client, ensure_owner, update_client
from clientbook.core.clients.queries import draft_of, get_client
from clientbook.core.db import close_database, open_database
from clientbook.core.drafts import ClientDraft, InteractionDraft
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import Staff
from clientbook.core.who import book_owner
from clientbook.demo import fill_demo_book
from clientbook.settings import Settings
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.widgets.client_table import ClientTable

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)
SMALL = (80, 24)  # the smallest terminal every screen must serve
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def nothing(pilot: Pilot[None]) -> None:
    await pilot.press("f2")  # the demo book owes things, so the app opens on Care
    await pilot.pause()


async def form_with_errors(pilot: Pilot[None]) -> None:
    await pilot.press("f2", "n")
    await pilot.pause()
    pilot.app.screen.query_one("#phone", Input).value = "020 7946 09"
    pilot.app.screen.query_one("#email", Input).value = "pat@example"
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def clash(pilot: Pilot[None]) -> None:
    """An edit refused because a colleague changed the same field while the form was open."""
    await pilot.press("f2")
    await pilot.pause()
    selected = pilot.app.screen.query_one(ClientTable).selected
    assert selected is not None
    await pilot.press("e")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ClientFormScreen)
    client = get_client(selected.id)
    colleague = next(s for s in Staff.select() if s.id != client.point_person.id)
    meanwhile = dataclasses.replace(draft_of(client.id), company="Foxglove Legal LLP")
    update_client(client.id, meanwhile, actor=colleague, phone_region="GB")
    form.query_one("#company", Input).value = "Foxglove & Partners"
    await pilot.press("ctrl+s")
    await pilot.pause(0.3)
    form.query_one("#company", Input).focus()
    await pilot.pause()


async def detail(pilot: Pilot[None]) -> None:
    await pilot.press("f2", "slash", *"okafor", "enter")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def search(pilot: Pilot[None]) -> None:
    await pilot.press("f2", "slash", *"ali")
    await pilot.pause(0.3)


async def log(pilot: Pilot[None]) -> None:
    await pilot.press("f3")
    await pilot.pause()


async def awaiting(pilot: Pilot[None]) -> None:
    await pilot.press("f3", "w")
    await pilot.pause()


async def log_form(pilot: Pilot[None]) -> None:
    await pilot.press("f3", "w")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    pilot.app.screen.query_one("#summary", Input).value = "Sent the corrected invoice"
    pilot.app.screen.query_one("#follow_up", Input).value = "next fri"
    await pilot.pause()


async def checklists(pilot: Pilot[None]) -> None:
    await pilot.press("f4")
    await pilot.pause()


async def checklist(pilot: Pilot[None]) -> None:
    await pilot.press("f4", "enter")
    await pilot.pause()


async def processes(pilot: Pilot[None]) -> None:
    await pilot.press("f4", "p")
    await pilot.pause()


async def care(pilot: Pilot[None]) -> None:
    await pilot.press("f5")
    await pilot.pause()


async def brief(pilot: Pilot[None]) -> None:
    await pilot.press("f2", "b")
    await pilot.pause()


async def new_client(pilot: Pilot[None]) -> None:
    await pilot.press("f2", "n")
    await pilot.pause()


SHOTS: dict[str, Steps] = {
    "client-list": nothing,
    "client-search": search,
    "client-form-errors": form_with_errors,
    "client-detail": detail,
    "log": log,
    "log-awaiting": awaiting,
    "log-reply-form": log_form,
    "checklists": checklists,
    "checklist": checklist,
    "processes": processes,
    "care": care,
    "brief": brief,
}
SMALL_SHOTS: dict[str, Steps] = {
    "client-list-80x24": nothing,
    "client-form-80x24": new_client,
    "log-reply-form-80x24": log_form,
    "care-80x24": care,
    "client-form-clash-80x24": clash,
}


async def shoot(book: Path, name: str, steps: Steps, size: tuple[int, int] = SIZE) -> None:
    owner = book_owner()
    assert owner is not None
    settings = Settings(timezone="Europe/London", phone_region="GB")
    app = ClientbookApp(settings=settings, location=str(book), user=owner, watch_interval=None)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        await pilot.pause(0.2)
        svg = OUT / f"{name}.svg"
        app.save_screenshot(filename=svg.name, path=str(OUT))
    # cairosvg takes every glyph from one font (no fallback), and Fira Code lacks the channel icons
    # (☎ ✉ ✆ ✎): DejaVu Sans Mono has them all, box drawing included.
    picture = svg.read_text(encoding="utf-8").replace("Fira Code", "DejaVu Sans Mono")
    width = 1600 * size[0] // SIZE[0]
    cairosvg.svg2png(bytestring=picture.encode(), write_to=str(svg.with_suffix(".png")), output_width=width)
    print(svg.with_suffix(".png"))


def all_done(book: Path) -> None:
    """A small book where the day's care is done: one client, answered two hours ago."""
    open_database(book)
    owner = ensure_owner("Pat Owner")
    create_client(
        ClientDraft(
            name="Dalia Okafor", point_person=owner.slug, email="dalia@okafor.example", stage="active"
        ),
        actor=owner,
        phone_region="GB",
    )
    log_interaction(
        InteractionDraft(
            client="dalia-okafor",
            when="today 08:00",
            channel="call",
            direction="outbound",
            summary="Check-in call",
            handled_by=owner.slug,
        ),
        actor=owner,
        zone="UTC",
    )


def main() -> None:
    clock.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "demo.db"
        open_database(book)
        fill_demo_book(1_284)
        for name, steps in SHOTS.items():
            asyncio.run(shoot(book, name, steps))
        for name, steps in SMALL_SHOTS.items():
            asyncio.run(shoot(book, name, steps, SMALL))
        close_database()
        quiet = Path(folder) / "done.db"
        all_done(quiet)
        asyncio.run(shoot(quiet, "care-empty", care))
        close_database()


if __name__ == "__main__":
    main()
