"""`python -m clientbook.bench.bare_probe`: a bare Textual app (one Static), started headless like the app's
probe; prints the wall-clock time its first screen was painted, the yardstick for the app's cold start."""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult
from textual.widgets import Static

from clientbook.bench.headless import SIZE, drawn, report, wait_until


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("A bare Textual app")


async def main() -> None:
    app = BareApp()
    async with app.run_test(size=SIZE):
        await wait_until(lambda: bool(app.screen.query(Static)), what="the bare app's first screen")
        await drawn(app)
        report({"painted_at": time.time()})


if __name__ == "__main__":
    asyncio.run(main())
