"""What each team role may read and write, as PostgreSQL grants and views, set up in one go.

Three NOLOGIN group roles per database, named from a prefix (the database's name
by default): ``<prefix>_staff``, ``<prefix>_checkin`` and ``<prefix>_readonly``.

- **staff** gets every privilege on the app's tables and sequences (and on the
  tables later migrations add, through default privileges).
- **check-in** and **read-only** get no privilege on the app's tables at all,
  except reading the schema revision (the app checks it on opening) and, for
  check-in, adding audit entries it cannot read back. What they may read is a
  schema of views of their own, named like the role, whose views carry the
  tables' names and all their columns, so that the app's queries run unchanged
  when that schema comes first on the search path (:mod:`.membership`). A
  column the role may not read is a constant in its view (``false``, an empty
  text, or NULL), so the value never leaves the server: even with its own SQL
  client the role finds nothing there, and ``SELECT lived_experience FROM
  person`` on the table itself is "permission denied".

  Check-in sees the roundtables of yesterday, today and tomorrow in UTC (a
  window that holds "today" in every time zone a roundtable may be in), their
  invitations and tables, and the names and organisations of the people on
  their lists; it may change an invitation's attendance and check-in time and
  nothing else. Views, not row-level security: the columns have to be hidden
  anyway, and a view both filters the rows and hides the columns in one
  place, while the role keeps no privilege on the tables to get round it.

  Read-only sees what the Statistics page reads: roundtables, series, sectors,
  interests, organisations, tables, and people and invitations without their
  sensitive columns. A lived-experience status is ``false`` in its views and a
  sector whose name says "lived experience" is hidden (NULL) on people and
  invitations, since "Lived experience" beside a person says the same thing:
  read-only's statistics leave lived-experience figures out. For the same
  reason neither role sees the organisation of someone with lived experience
  (nor one whose name says it), read-only sees no such person's role (nor a
  role that says it) and no interest that says it. Read-only also reads the
  final summaries as they print (``summary_revision``, its ``printed`` column
  only): never the notes, the draft, or who made a summary final.

Running the setup again brings everything back to this state (grants revoked
and given again, views made again); an upgrade does the same around its
migrations (:mod:`.upgrades`). It runs in the caller's transaction: all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Boolean, Connection, String, Table, Text, text
from sqlalchemy.dialects import postgresql

from roundtable_app.core.team import TeamRole, group_role_name
from roundtable_app.storage.base import Base
from roundtable_app.storage.models import AuditEntry

#: Marks a group role as one of ours (read back by :mod:`.membership`).
COMMENT_PREFIX = "roundtable team role:"

#: The roundtables check-in sees: yesterday, today and tomorrow in UTC.
_DAY = "date_trunc('day', now() AT TIME ZONE 'UTC')"
CHECKIN_WINDOW = (
    f"coalesce(ends_at, starts_at) >= ({_DAY} - interval '1 day') AT TIME ZONE 'UTC' "
    f"AND starts_at < ({_DAY} + interval '2 days') AT TIME ZONE 'UTC'"
)

#: Columns staff only may read (issue 13: lived experience, needs, notes, consents).
SENSITIVE_PERSON_COLUMNS = frozenset(
    {
        "lived_experience",
        "accessibility_needs",
        "dietary_needs",
        "notes",
        "may_contact",
        "may_be_named",
        "contact_consent_at",
        "contact_consent_how",
        "named_consent_at",
        "named_consent_how",
        "contact_via",
        "contact_via_email",
    }
)


@dataclass(frozen=True)
class Exposure:
    """One table as a role sees it: which columns, which rows, what it may update."""

    #: The columns shown as they are (None: every column not masked).
    columns: frozenset[str] | None = None
    #: Columns shown through an expression instead ({s}: the data schema).
    masks: dict[str, str] = field(default_factory=dict)
    #: Which rows (SQL over the table's columns; {s}: data schema, {v}: the view schema).
    rows: str = ""
    #: The columns the role may update through the view.
    update: tuple[str, ...] = ()


#: The organisation of someone with lived experience, or one whose name says it, as
#: a sign-in sheet prints it: not at all ("Survivors' Network" would say it).
_HIDE_THEIR_ORGANISATION = (
    "CASE WHEN lived_experience OR organisation_id IN (SELECT id FROM {s}.organisation "
    "WHERE strpos(lower(name), 'lived experience') > 0) THEN NULL ELSE organisation_id END"
)
#: A role such as "Member, Lived Experience Panel", or anyone's with lived experience.
_HIDE_THEIR_ROLE = (
    "CASE WHEN lived_experience OR strpos(lower(coalesce(role, '')), 'lived experience') > 0 "
    "THEN NULL ELSE role END"
)
#: An interest whose name says lived experience is nobody's, as the roles see them.
_NOT_LIVED_EXPERIENCE_INTERESTS = (
    "theme_id NOT IN (SELECT id FROM {s}.theme WHERE strpos(lower(name), 'lived experience') > 0)"
)


def _hide_lived_experience_sector(column: str) -> str:
    return (
        f"CASE WHEN {column} IN (SELECT id FROM {{s}}.sector "
        "WHERE strpos(lower(name), 'lived experience') > 0) "
        f"THEN NULL ELSE {column} END"
    )


_IN_WINDOW = "roundtable_id IN (SELECT id FROM {v}.roundtable)"

CHECKIN: dict[str, Exposure] = {
    "roundtable": Exposure(rows=CHECKIN_WINDOW),
    "discussion_table": Exposure(rows=_IN_WINDOW),
    "invitation": Exposure(
        # Not the sector snapshot: a sector can say "lived experience".
        columns=frozenset(
            {
                "id",
                "roundtable_id",
                "person_id",
                "role",
                "response",
                "response_channel",
                "attendance",
                "walk_in",
                "checked_in_at",
                "table_id",
                "withdrawn_at",
                "seat_locked",
            }
        ),
        rows=_IN_WINDOW,
        update=("attendance", "checked_in_at"),
    ),
    "person": Exposure(
        columns=frozenset(
            {"id", "full_name", "display_name", "organisation_id", "created_at", "updated_at"}
        ),
        masks={"organisation_id": _HIDE_THEIR_ORGANISATION},
        rows="id IN (SELECT person_id FROM {v}.invitation WHERE person_id IS NOT NULL)",
    ),
    "organisation": Exposure(columns=frozenset({"id", "name"})),
    "sector": Exposure(),
}

READONLY: dict[str, Exposure] = {
    "roundtable": Exposure(),
    "series": Exposure(),
    "sector": Exposure(),
    "theme": Exposure(),
    "organisation": Exposure(),
    "discussion_table": Exposure(),
    "roundtable_theme": Exposure(),
    "person_theme": Exposure(rows=_NOT_LIVED_EXPERIENCE_INTERESTS),
    "person": Exposure(
        columns=None,
        masks={
            "sector_id": _hide_lived_experience_sector("sector_id"),
            "organisation_id": _HIDE_THEIR_ORGANISATION,
            "role": _HIDE_THEIR_ROLE,
        },
    ),
    "invitation": Exposure(
        columns=None,
        masks={"sector_id": _hide_lived_experience_sector("sector_id")},
    ),
    # The final summaries as they print (names removed, small sectors withheld), never
    # the notes they were made from (``content``) nor who made them final.
    "summary_revision": Exposure(
        columns=frozenset({"id", "roundtable_id", "number", "finalised_at", "printed"}),
        rows="printed IS NOT NULL",
    ),
}

EXPOSURES = {TeamRole.CHECKIN: CHECKIN, TeamRole.READONLY: READONLY}

#: Columns every view hides, whatever its exposure says.
_ALWAYS_HIDDEN = {"person": SENSITIVE_PERSON_COLUMNS, "invitation": frozenset({"lived_experience"})}


def _placeholder(table: Table, column: str) -> str:
    """A constant of the column's type: what a role sees instead of a hidden value."""
    col = table.c[column]
    sql_type = col.type.compile(dialect=postgresql.dialect())
    if isinstance(col.type, Boolean):
        return "false"
    if isinstance(col.type, String | Text):
        return f"CAST('' AS {sql_type})"
    return f"CAST(NULL AS {sql_type})"


def view_sql(table: Table, exposure: Exposure, data: str, views: str, quote: Quote) -> str:
    """``CREATE VIEW`` for ``table`` as ``exposure`` shows it."""
    hidden = _ALWAYS_HIDDEN.get(table.name, frozenset())
    parts = []
    for col in table.columns:
        name = quote(col.name)
        if col.name in hidden or (
            exposure.columns is not None and col.name not in exposure.columns
        ):
            expression = _placeholder(table, col.name)
        elif col.name in exposure.masks:
            expression = exposure.masks[col.name].format(s=data, v=views)
        else:
            parts.append(name)
            continue
        parts.append(f"{expression} AS {name}")
    where = f" WHERE {exposure.rows.format(s=data, v=views)}" if exposure.rows else ""
    options = " WITH (security_barrier)" if exposure.rows else ""
    return (
        f"CREATE VIEW {views}.{quote(table.name)}{options} AS SELECT {', '.join(parts)} "
        f"FROM {data}.{quote(table.name)}{where}"
    )


class Quote:
    """Quotes identifiers for the connection's dialect."""

    def __init__(self, conn: Connection) -> None:
        self._preparer = conn.dialect.identifier_preparer

    def __call__(self, name: str) -> str:
        return self._preparer.quote(name)


@dataclass(frozen=True)
class SetupResult:
    """What :func:`setup_roles` did: the group roles, and which of them it created."""

    roles: dict[TeamRole, str]
    created: tuple[str, ...]
    schema: str


def setup_statements(
    conn: Connection, prefix: str, data_schema: str, audit_sequence: str | None
) -> Iterator[str]:
    """Every statement of the setup, in order (the roles exist already).

    ``audit_sequence``: the sequence behind the audit entries' ids (as the server
    names it), which check-in uses when it adds one.
    """
    quote = Quote(conn)
    data = quote(data_schema)
    names = {role: group_role_name(prefix, role) for role in TeamRole}
    q = {role: quote(name) for role, name in names.items()}
    everyone = ", ".join(q.values())
    yield f"REVOKE ALL ON ALL TABLES IN SCHEMA {data} FROM {everyone}"
    yield f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {data} FROM {everyone}"
    yield f"GRANT USAGE ON SCHEMA {data} TO {everyone}"
    # Nobody but the owner makes objects beside the app's tables: a function planted
    # there (public.lower, say) would run with the rights of whoever calls it.
    yield f"REVOKE CREATE ON SCHEMA {data} FROM PUBLIC"

    staff = q[TeamRole.STAFF]
    yield f"GRANT ALL ON ALL TABLES IN SCHEMA {data} TO {staff}"
    yield f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {data} TO {staff}"
    yield f"ALTER DEFAULT PRIVILEGES IN SCHEMA {data} GRANT ALL ON TABLES TO {staff}"
    yield f"ALTER DEFAULT PRIVILEGES IN SCHEMA {data} GRANT ALL ON SEQUENCES TO {staff}"

    tables = Base.metadata.tables
    for role, exposures in EXPOSURES.items():
        views = q[role]
        yield f"DROP SCHEMA IF EXISTS {views} CASCADE"
        yield f"CREATE SCHEMA {views}"
        yield f"GRANT USAGE ON SCHEMA {views} TO {views}"
        # The app reads the schema revision on opening.
        yield f"GRANT SELECT ON {data}.alembic_version TO {views}"
        for name, exposure in exposures.items():
            table = tables[name]
            yield view_sql(table, exposure, data, views, quote)
            yield f"GRANT SELECT ON {views}.{quote(name)} TO {views}"
            if exposure.update:
                columns = ", ".join(quote(c) for c in exposure.update)
                yield f"GRANT UPDATE ({columns}) ON {views}.{quote(name)} TO {views}"

    # A check-in is audited: check-in adds entries (its id comes back) but reads none.
    checkin = q[TeamRole.CHECKIN]
    audit = f"{data}.{quote(AuditEntry.__tablename__)}"
    yield f"GRANT INSERT, SELECT (id) ON {audit} TO {checkin}"
    if audit_sequence:
        yield f"GRANT USAGE ON SEQUENCE {audit_sequence} TO {checkin}"


def setup_roles(conn: Connection, prefix: str) -> SetupResult:
    """Create the group roles that are missing, and give all three their grants and views.

    Runs in ``conn``'s transaction, as the owner of the app's tables (a role that
    may create roles, if any is missing).
    """
    data_schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    quote = Quote(conn)
    names = {role: group_role_name(prefix, role) for role in TeamRole}
    existing = set(
        conn.execute(
            text("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(names.values())},
        ).scalars()
    )
    created = []
    for role, name in names.items():
        if name not in existing:
            conn.exec_driver_sql(f"CREATE ROLE {quote(name)} NOLOGIN")
            created.append(name)
        comment = f"{COMMENT_PREFIX} {role.value}; database: {database}; schema: {data_schema}"
        literal = comment.replace("'", "''")
        conn.exec_driver_sql(f"COMMENT ON ROLE {quote(name)} IS '{literal}'")
    grant_all(conn, prefix)
    return SetupResult(names, tuple(created), data_schema)


def grant_all(conn: Connection, prefix: str) -> None:
    """Give the three roles (which exist) their grants and views on the current schema."""
    data_schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    audit_sequence = conn.execute(
        text("SELECT pg_get_serial_sequence(:table, 'id')"),
        {"table": f"{Quote(conn)(data_schema)}.{Quote(conn)(AuditEntry.__tablename__)}"},
    ).scalar()
    for statement in setup_statements(conn, prefix, data_schema, audit_sequence):
        conn.exec_driver_sql(statement)
