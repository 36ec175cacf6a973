"""The demo's interaction log: planned backwards in time in Python, made into rows by SQLite.

An inbound message awaits a reply until the client's next outbound interaction answers it
(:mod:`clientbook.core.log.operations` keeps the same rule); one still open after two days was acknowledged
a day after it came, as a caring business would. Walking the log from the newest interaction back, the reply
to each message is already known when the message is made (the latest outbound seen so far for its client),
and so is each client's last contact (the first inbound or outbound seen): nothing is updated afterwards.

The plan is a few flat arrays of integers (18 bytes an interaction). :func:`write_interactions` hands them
and the possible contents (:class:`Templates`) to SQLite as two temporary tables, and one `INSERT ... SELECT`
joins them into the interaction rows: no Python object per row and no text bound per row. Ids follow time
(the oldest interaction is 1), so most indexes are built from rows that arrive nearly in their order, which
SQLite sorts several times faster.
"""

from __future__ import annotations

import random
import sqlite3
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from clientbook.demo.bulk import insert_rows, literal, quoted
from clientbook.demo.pools import minute_of
from clientbook.demo.words import CHANNEL_FOR, DETAILS, DIRECTION_SHARES, MOODS, SUBJECTS

OLDEST_MINUTES: Final = 400 * 24 * 60
"""How far back the log goes."""
NEWEST_MINUTES: Final = 30
"""The newest interaction is at least this old."""
ACKNOWLEDGED_AFTER_MINUTES: Final = 2 * 24 * 60
"""A message unanswered for longer than this was acknowledged..."""
ACKNOWLEDGED_DELAY_MINUTES: Final = 24 * 60
"""...this long after it came."""
SETTLED, WAITING, ACKNOWLEDGED = 0, 1, 2
"""An interaction's reply state: not awaiting anything (answered, or not inbound), awaiting a reply, or
acknowledged without one."""
TEMPLATE_COLUMNS: Final = (
    "channel",
    "direction",
    "summary",
    "details",
    "handled_by_id",
    "created_by_id",
    "mood",
)

MADE: Final = {
    "id": "p.id",
    "client_id": "p.client_id",
    "at": "datetime(p.minute * 60, 'unixepoch')",
    **{column: f"t.{quoted(column)}" for column in TEMPLATE_COLUMNS},
    "awaiting": f"p.state = {WAITING}",
    "answered_by_id": "nullif(p.answered_by_id, 0)",
    "acknowledged_at": f"CASE p.state WHEN {ACKNOWLEDGED} "
    f"THEN datetime((p.minute + {ACKNOWLEDGED_DELAY_MINUTES}) * 60, 'unixepoch') END",
    "acknowledged_by_id": f"CASE p.state WHEN {ACKNOWLEDGED} THEN t.handled_by_id END",
}
"""Each interaction column the plan fills, and how, from the plan row `p` and its template `t`."""
VARYING: Final = frozenset(MADE) - {"id", "at"}
"""The columns whose values go up and down in id order; every other one follows the id (`at` does: ids
follow time) or is the same in every row (a constant, or NULL)."""

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Templates:
    """Every combination of what an interaction can be, as column values in :data:`TEMPLATE_COLUMNS`
    order, grouped by direction; picking one uniformly within its direction is the same draw as picking
    each part on its own."""

    rows: tuple[Row, ...]
    inbound: int
    """Rows `[0, inbound)` are inbound..."""
    outbound: int
    """...`[inbound, inbound + outbound)` outbound, and the rest internal notes."""

    @classmethod
    def of(cls, staff_ids: Sequence[int]) -> Templates:
        groups: dict[str, list[Row]] = {}
        for direction, _ in DIRECTION_SHARES:
            moods = MOODS if direction == "inbound" else (None,)
            groups[direction] = [
                (channel, direction, summary, details, handler, handler, mood)
                for channel in CHANNEL_FOR[direction]
                for summary in SUBJECTS[direction]
                for details in DETAILS
                for mood in moods
                for handler in staff_ids
            ]
        return cls(
            tuple(groups["inbound"] + groups["outbound"] + groups["internal"]),
            len(groups["inbound"]),
            len(groups["outbound"]),
        )


@dataclass(frozen=True)
class Plan:
    """What each interaction is, by id (index 0 unused)."""

    client: array[int]
    minute: array[int]
    """Whole minutes since the Unix epoch (see :func:`~clientbook.demo.pools.minute_of`)."""
    template: array[int]
    answered_by: array[int]
    """The id of the reply that answered an inbound message; 0 for none."""
    state: array[int]
    """:data:`SETTLED`, :data:`WAITING` or :data:`ACKNOWLEDGED`."""
    last_contact: array[int]
    """By client id: the minute of its latest inbound or outbound interaction; 0 for none."""

    @property
    def total(self) -> int:
        return len(self.client) - 1


def plan(rng: random.Random, clients: int, total: int, *, templates: Templates, now: datetime) -> Plan:
    """`total` interactions spread over `clients` clients (some far busier than others) and 400 days.

    The times are drawn newest first as descending order statistics of uniform draws (the largest of k
    uniforms is U^(1/k)), so they come out sorted without a sort or a list of them.
    """
    if clients <= 0:
        total = 0
    zeros = bytes(4 * (total + 1))
    client_of, minute_of_id, template_of, answered_by = (array("I", zeros) for _ in range(4))
    state_of = array("B", bytes(total + 1))
    last_contact = array("I", bytes(4 * (max(clients, 0) + 1)))
    reply_for = array("I", bytes(4 * (max(clients, 0) + 1)))  # the latest outbound seen so far, by client
    rand = rng.random
    chance, alias = alias_table([rand() ** 2 for _ in range(clients)])
    newest = minute_of(now) - NEWEST_MINUTES
    oldest = minute_of(now) - OLDEST_MINUTES
    span = newest - oldest + 1
    unanswered_before = minute_of(now) - ACKNOWLEDGED_AFTER_MINUTES
    inbound, outbound = templates.inbound, templates.outbound
    internal = len(templates.rows) - inbound - outbound
    (_, in_share), (_, out_share), _ = DIRECTION_SHARES
    replies_from = in_share + out_share
    u = 1.0
    for interaction_id in range(total, 0, -1):
        u *= rand() ** (1.0 / interaction_id)
        minute = oldest + int(u * span)
        pick = int(rand() * clients)
        client = (pick if rand() < chance[pick] else alias[pick]) + 1
        direction = rand()
        if direction < in_share:
            template = int(rand() * inbound)
            if reply := reply_for[client]:
                answered_by[interaction_id] = reply
            else:
                state_of[interaction_id] = ACKNOWLEDGED if minute < unanswered_before else WAITING
        elif direction < replies_from:
            template = inbound + int(rand() * outbound)
            reply_for[client] = interaction_id
        else:
            template = inbound + outbound + int(rand() * internal)
        if direction < replies_from and not last_contact[client]:
            last_contact[client] = minute
        client_of[interaction_id] = client
        minute_of_id[interaction_id] = minute
        template_of[interaction_id] = template
    return Plan(client_of, minute_of_id, template_of, answered_by, state_of, last_contact)


def alias_table(weights: Sequence[float]) -> tuple[array[float], array[int]]:
    """Walker's alias table for drawing index i with probability proportional to `weights[i]` in constant
    time: pick i uniformly, keep it with chance `chance[i]`, else take `alias[i]` (Vose's construction).

    A binary search over cumulative weights costs a cache miss per step on a long list; this costs two.
    """
    count = len(weights)
    total = sum(weights)
    scaled = [w * count / total for w in weights] if total > 0 else [1.0] * count
    chance = array("d", bytes(8 * count))
    alias = array("I", bytes(4 * count))
    small = [i for i, w in enumerate(scaled) if w < 1.0]
    large = [i for i, w in enumerate(scaled) if w >= 1.0]
    while small and large:
        low, high = small.pop(), large[-1]
        chance[low], alias[low] = scaled[low], high
        scaled[high] -= 1.0 - scaled[low]
        if scaled[high] < 1.0:
            small.append(large.pop())
    for rest in small + large:  # what is left is 1 up to rounding: always kept
        chance[rest] = 1.0
    return chance, alias


def write_interactions(
    connection: sqlite3.Connection, plan: Plan, templates: Templates, *, constants: Mapping[str, Any]
) -> None:
    """Insert the planned interactions; `constants` are the columns every row shares (zone, created...).

    Times become text in SQLite (`datetime(minute * 60, 'unixepoch')`, the tables' own format).
    """
    connection.execute(
        "CREATE TEMP TABLE demo_template (id INTEGER PRIMARY KEY, "
        + ", ".join(quoted(c) for c in TEMPLATE_COLUMNS)
        + ")"
    )
    insert_rows(
        connection,
        "demo_template",
        ("id", *TEMPLATE_COLUMNS),
        ((n, *row) for n, row in enumerate(templates.rows)),
    )
    planned = ("id", "client_id", "minute", "template", "answered_by_id", "state")
    connection.execute(
        f"CREATE TEMP TABLE demo_plan ({planned[0]} INTEGER PRIMARY KEY, {', '.join(planned[1:])})"
    )
    count = plan.total + 1
    rows = zip(
        range(1, count),
        plan.client[1:],
        plan.minute[1:],
        plan.template[1:],
        plan.answered_by[1:],
        plan.state[1:],
        strict=True,
    )
    insert_rows(connection, "demo_plan", planned, rows)
    made = MADE | {column: literal(value) for column, value in constants.items()}
    connection.execute(
        f"INSERT INTO interaction ({', '.join(map(quoted, made))}) SELECT {', '.join(made.values())} "
        "FROM temp.demo_plan AS p JOIN temp.demo_template AS t ON t.id = p.template ORDER BY p.id"
    )
    connection.execute("DROP TABLE temp.demo_plan")
    connection.execute("DROP TABLE temp.demo_template")


def interaction_texts(plan: Plan, templates: Templates) -> Iterator[Row]:
    """(id, summary, details) of each planned interaction: what its full-text index reads."""
    texts = [(summary, details) for _, _, summary, details, *_ in templates.rows]
    for interaction_id, template in zip(range(1, plan.total + 1), plan.template[1:], strict=True):
        yield (interaction_id, *texts[template])
