"""SQL fragments that peewee has no portable spelling for, in one place, in both dialects (SQLite's and, for
team books, PostgreSQL's), so no query module writes them itself. Also the few writes every save makes,
through SQL made once rather than by peewee each time.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Final

import peewee as pw

from clientbook.core.db import database
from clientbook.core.store.dialect import on_postgres
from clientbook.core.store.plain import ID_LIST, PlainSql, PostgresPlain, id_list, pyformat


def dialect() -> type[PlainSql]:
    """The open book's dialect: the plain-SQL class whose fragments (search, id lists) it speaks."""
    return PostgresPlain if on_postgres(database.obj) else PlainSql


def fragment(made: tuple[str, tuple[object, ...]], column: pw.Node | None = None) -> pw.ColumnBase:
    """A fragment of :func:`dialect` (SQL written with `?` marks, and its parameters) for a peewee query;
    `column`, when given, stands where the fragment was made with the column name :data:`COLUMN`."""
    text, params = made
    postgres = on_postgres(database.obj)
    if column is None:
        return pw.SQL(pyformat(text) if postgres else text, list(params))
    nodes: list[pw.Node] = []
    left = list(params)
    for index, part in enumerate(text.split(COLUMN)):
        if index:
            nodes.append(column)
        marks = part.count("?")
        nodes.append(pw.SQL(pyformat(part) if postgres else part, left[:marks]))
        del left[:marks]
    return pw.NodeList(nodes, glue="")


COLUMN: Final = "{column}"
"""The column name a fragment is made with when peewee is to put its own column there (:func:`fragment`)."""


def among(column: pw.Field, ids: Sequence[int]) -> pw.Expression:
    """`column IN ids`, with the ids bound as one JSON parameter.

    Peewee turns `in_(ids)` into one bound parameter per id, and building that SQL costs more than SQLite's
    answer: 4 ms of Python for the 100 ids of one page of the client list, against 0.2 ms this way.
    """
    if on_postgres(database.obj):
        return pw.Expression(column, "= ANY", pw.SQL("(%s)", [list(ids)]))
    listed = pw.SQL(ID_LIST, [id_list(ids)])
    return pw.Expression(column, pw.OP.IN, listed)


def nulls_last(column: pw.Field) -> pw.Ordering:
    """`column` descending, NULL after every value. SQLite holds NULL lowest, so its plain DESC does that
    (and so walks the index); PostgreSQL holds NULL highest, and is told."""
    return column.desc(nulls="LAST") if on_postgres(database.obj) else column.desc()


def nulls_first(column: pw.Field) -> pw.Ordering:
    """`column` ascending, NULL before every value: :func:`nulls_last` read backwards."""
    return column.asc(nulls="FIRST") if on_postgres(database.obj) else column.asc()


def lock_row(model: type[pw.Model], key: int) -> None:
    """Inside a write transaction, hold the row of `model` whose primary key is `key` until it ends, so a
    check made now (has it changed?) still holds when the write lands. SQLite's write transaction holds the
    whole book already (taken at BEGIN, see `lock_type`); PostgreSQL locks the row."""
    if on_postgres(database.obj):
        table = _quoted(model._meta.table_name)
        database.execute_sql(f"SELECT 1 FROM {table} WHERE {_key_column(model)} = %s FOR UPDATE", (key,))


def unindexed(column: pw.Field) -> pw.Node:
    """`column` as an operand that SQLite will not use an index for (`+column`).

    For a condition that should only be *tested* on rows found through another index: `+id IN (search
    matches)` lets SQLite walk the list's sort index and stop after a page, where `id IN (...)` would fetch
    every match first and sort them all; `+archived_at IS NULL` keeps the care queue reading the few rows
    awaiting a reply, where SQLite would otherwise start from 100,000 current clients.
    """
    if on_postgres(database.obj):
        return column  # PostgreSQL's planner weighs a partial or covering index itself
    return pw.NodeList((pw.SQL("+"), column), glue="")


def current(client_archived_at: pw.Field) -> pw.Expression:
    """A client not archived, tested on each row found another way (see :func:`unindexed`)."""
    return pw.Expression(unindexed(client_archived_at), pw.OP.IS, None)


# Writes through statements made once -------------------------------------------------------------------
#
# Peewee builds every statement's SQL afresh from its query objects: 0.2-0.3 ms of Python for a two-column
# INSERT on this machine, against 0.03 ms for SQLite to run it. The writes every save makes (its change set,
# each field change, the row's UPDATE) were most of a durable save, so they go through SQL made once per
# table, columns and dialect, and bound with the values peewee itself would have sent (each field's
# `db_value`). Only plain column writes: anything with an expression stays with peewee.


def insert_row(model: type[pw.Model], values: Mapping[str, object]) -> int:
    """INSERT one row of `model` (field name -> value) and return its new primary key.

    Exactly the columns given: unlike `Model.create`, no defaults are filled in (see `Recorder.insert`)."""
    fields = model._meta.fields
    names = tuple(values)
    returning = bool(database.returning_clause)
    sql = _insert_sql(model, names, database.param, returning)
    cursor = database.execute_sql(sql, [fields[name].db_value(values[name]) for name in names])
    return int(cursor.fetchone()[0] if returning else cursor.lastrowid)


def insert_model(row: pw.Model) -> None:
    """INSERT `row` as made (`Model(...)` fills in the defaults, as `Model.create` would) and give it its
    new primary key."""
    key: Any = row._meta.primary_key
    data: dict[str, Any] = row.__data__
    stored = {name: value for name, value in data.items() if not (name == key.name and value is None)}
    setattr(row, key.name, insert_row(type(row), stored))


def update_row(model: type[pw.Model], key: int, values: Mapping[str, object]) -> None:
    """UPDATE the columns named in `values` of the row of `model` whose primary key is `key`."""
    if not values:
        return
    fields = model._meta.fields
    names = tuple(values)
    sql = _update_sql(model, names, database.param)
    database.execute_sql(sql, [*(fields[name].db_value(values[name]) for name in names), key])


def _quoted(name: str) -> str:
    # Both dialects quote identifiers with double quotes (peewee's `quote` for SQLite and PostgreSQL).
    return '"' + name.replace('"', '""') + '"'


# The dialect's parameter mark and RETURNING support are part of each key: a process may open a SQLite book,
# then one of another kind.
@functools.cache
def _insert_sql(model: type[pw.Model], names: tuple[str, ...], mark: str, returning: bool) -> str:
    fields = model._meta.fields
    columns = ", ".join(_quoted(fields[name].column_name) for name in names)
    marks = ", ".join([mark] * len(names))
    sql = f"INSERT INTO {_quoted(model._meta.table_name)} ({columns}) VALUES ({marks})"
    return sql + f" RETURNING {_key_column(model)}" if returning else sql


@functools.cache
def _update_sql(model: type[pw.Model], names: tuple[str, ...], mark: str) -> str:
    fields = model._meta.fields
    assignments = ", ".join(f"{_quoted(fields[name].column_name)} = {mark}" for name in names)
    return f"UPDATE {_quoted(model._meta.table_name)} SET {assignments} WHERE {_key_column(model)} = {mark}"


def _key_column(model: type[pw.Model]) -> str:
    key: Any = model._meta.primary_key  # an AutoField on every table of the book
    return _quoted(key.column_name)
