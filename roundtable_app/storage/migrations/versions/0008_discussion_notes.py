"""Discussion notes: one table for the four kinds of note, their themes and sectors, and
the summary's state and final revisions.

The three tables the demo filled (evidence_need, shared_challenge, action) are
copied into ``discussion_note`` and dropped: each evidence need keeps its
theme and the sector that raised it, its free-text kind of evidence is
mapped onto the fixed list, and an action's ``done`` becomes its status.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from roundtable_app.storage.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The old free-text kinds of evidence, by a word they contain, in order of precedence.
_EVIDENCE_KIND_WORDS = (
    ("prevalence", "prevalence"),
    ("scale", "prevalence"),
    ("evaluat", "evaluation"),
    ("review", "evaluation"),
    ("survivor", "lived_experience"),
    ("lived", "lived_experience"),
    ("qualitative", "lived_experience"),
    ("cost", "cost"),
    ("legal", "legal_policy"),
    ("policy", "legal_policy"),
    ("data", "data"),
)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _ck(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def upgrade() -> None:
    op.create_table(
        "need_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_group")),
    )
    n = "discussion_note"
    op.create_table(
        n,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=True),
        sa.Column("evidence_kind", sa.String(length=24), nullable=True),
        sa.Column("question_no", sa.Integer(), nullable=True),
        sa.Column("need_status", sa.String(length=16), nullable=True),
        sa.Column("answer_reference", sa.Text(), nullable=False),
        sa.Column("centre_owner", sa.String(length=200), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("action_status", sa.String(length=12), nullable=True),
        sa.Column("acknowledged", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _ck(n, "kind_known", "kind IN ('challenge', 'need', 'action', 'point')"),
        _ck(n, "priority_known", "priority IS NULL OR priority IN ('high', 'medium', 'low')"),
        _ck(
            n,
            "evidence_kind_known",
            "evidence_kind IS NULL OR evidence_kind IN ('prevalence', 'evaluation', "
            "'lived_experience', 'cost', 'legal_policy', 'data', 'other')",
        ),
        _ck(
            n,
            "action_status_known",
            "action_status IS NULL OR action_status IN ('open', 'in_progress', 'done')",
        ),
        _ck(
            n,
            "need_status_known",
            "need_status IS NULL OR need_status IN ('open', 'researching', 'answered')",
        ),
        _fk(n, "roundtable_id", "roundtable", "CASCADE"),
        _fk(n, "table_id", "discussion_table", "SET NULL"),
        _fk(n, "group_id", "need_group", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_note")),
    )
    op.create_index(
        "ix_discussion_note_roundtable_id_kind", n, ["roundtable_id", "kind", "position"]
    )
    op.create_index(op.f("ix_discussion_note_table_id"), n, ["table_id"])
    op.create_index(op.f("ix_discussion_note_group_id"), n, ["group_id"])
    for name, other in (("note_theme", "theme"), ("note_sector", "sector")):
        op.create_table(
            name,
            sa.Column("note_id", sa.Integer(), nullable=False),
            sa.Column(f"{other}_id", sa.Integer(), nullable=False),
            _fk(name, "note_id", "discussion_note", "CASCADE"),
            _fk(name, f"{other}_id", other, "CASCADE"),
            sa.PrimaryKeyConstraint("note_id", f"{other}_id", name=op.f(f"pk_{name}")),
        )
        op.create_index(f"ix_{name}_{other}_id", name, [f"{other}_id"])
    s = "discussion_summary"
    op.create_table(
        s,
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _ck(s, "state_known", "state IN ('draft', 'final')"),
        _fk(s, "roundtable_id", "roundtable", "CASCADE"),
        sa.PrimaryKeyConstraint("roundtable_id", name=op.f("pk_discussion_summary")),
    )
    r = "summary_revision"
    op.create_table(
        r,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("finalised_at", UTCDateTime(), nullable=False),
        sa.Column("finalised_by", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        _fk(r, "roundtable_id", "roundtable", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_revision")),
    )
    op.create_index("uq_summary_revision_roundtable", r, ["roundtable_id", "number"], unique=True)
    _copy_old_notes()
    op.drop_table("evidence_need")
    op.drop_table("shared_challenge")
    op.drop_table("action")


def _evidence_kind(text: str) -> str:
    lowered = (text or "").casefold()
    for word, kind in _EVIDENCE_KIND_WORDS:
        if word in lowered:
            return kind
    return "other"


def _copy_old_notes() -> None:
    """Each old row becomes a note with the same id offset by kind (ids stay unique)."""
    bind = op.get_bind()
    notes = sa.table(
        "discussion_note",
        *(
            sa.column(c)
            for c in (
                "id roundtable_id table_id kind position text priority evidence_kind "
                "need_status answer_reference centre_owner owner due_on action_status "
                "acknowledged created_at updated_at version"
            ).split()
        ),
    )
    links = {
        name: sa.table(name, sa.column("note_id"), sa.column(f"{other}_id"))
        for name, other in (("note_theme", "theme"), ("note_sector", "sector"))
    }
    rows: list[dict[str, object]] = []
    themes: list[dict[str, object]] = []
    sectors: list[dict[str, object]] = []
    next_id = 1

    def note(**values: object) -> int:
        nonlocal next_id
        note_id = next_id
        next_id += 1
        rows.append(
            {
                "id": note_id,
                "position": note_id,
                "priority": None,
                "evidence_kind": None,
                "need_status": None,
                "answer_reference": "",
                "centre_owner": "",
                "owner": "",
                "due_on": None,
                "action_status": None,
                "acknowledged": "",
                "table_id": None,
                "updated_at": values["created_at"],
                "version": 1,
                **values,
            }
        )
        return note_id

    for old in bind.execute(
        sa.text(
            "SELECT roundtable_id, table_id, statement, theme_id, priority, evidence_kind, "
            "raised_by_sector_id, created_at FROM evidence_need ORDER BY id"
        )
    ).mappings():
        note_id = note(
            roundtable_id=old["roundtable_id"],
            table_id=old["table_id"],
            kind="need",
            text=old["statement"],
            priority=old["priority"],
            evidence_kind=_evidence_kind(old["evidence_kind"]),
            need_status="open",
            created_at=old["created_at"],
        )
        if old["theme_id"] is not None:
            themes.append({"note_id": note_id, "theme_id": old["theme_id"]})
        if old["raised_by_sector_id"] is not None:
            sectors.append({"note_id": note_id, "sector_id": old["raised_by_sector_id"]})
    for old in bind.execute(
        sa.text(
            "SELECT roundtable_id, table_id, statement, theme_id, created_at "
            "FROM shared_challenge ORDER BY id"
        )
    ).mappings():
        note_id = note(
            roundtable_id=old["roundtable_id"],
            table_id=old["table_id"],
            kind="challenge",
            text=old["statement"],
            created_at=old["created_at"],
        )
        if old["theme_id"] is not None:
            themes.append({"note_id": note_id, "theme_id": old["theme_id"]})
    for old in bind.execute(
        sa.text(
            "SELECT roundtable_id, description, owner, due_on, done, created_at "
            "FROM action ORDER BY id"
        )
    ).mappings():
        note(
            roundtable_id=old["roundtable_id"],
            kind="action",
            text=old["description"],
            owner=old["owner"] or "",
            due_on=old["due_on"],
            action_status="done" if old["done"] else "open",
            created_at=old["created_at"],
        )
    if rows:
        op.bulk_insert(notes, rows)
    if themes:
        op.bulk_insert(links["note_theme"], themes)
    if sectors:
        op.bulk_insert(links["note_sector"], sectors)
    if rows and bind.dialect.name == "postgresql":
        bind.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('discussion_note', 'id'), "
                "(SELECT max(id) FROM discussion_note))"
            )
        )


def downgrade() -> None:
    raise NotImplementedError(
        "Discussion notes cannot be put back into the three old tables without losing "
        "their sectors, themes and statuses; restore the backup made before the upgrade."
    )
