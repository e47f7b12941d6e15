"""Migration 0008: the demo's old evidence needs, challenges and actions become notes."""

from __future__ import annotations

from sqlalchemy import select, text

from roundtable_app.storage.engine import create_db_engine, upgrade
from roundtable_app.storage.models import DiscussionNote, Sector, Theme
from roundtable_app.storage.unit_of_work import Database, open_database


def test_old_notes_become_discussion_notes_with_their_theme_sector_and_status(any_url):
    engine = create_db_engine(any_url)
    upgrade(engine, "0007")
    old = Database(engine)
    with old.transaction() as session:
        session.execute(text("INSERT INTO theme (name) VALUES ('Supply chains')"))
        theme = session.scalar(select(Theme.id).where(Theme.name == "Supply chains"))
        sector = session.scalar(select(Sector.id).where(Sector.name == "Government"))
        session.execute(
            text(
                "INSERT INTO roundtable (title, purpose, evidence_questions, format, venue, "
                "venue_address, online_link, accessibility_contact, time_zone, status, ical_uid, "
                "ical_sequence, created_at, updated_at, version) VALUES ('Old one', '', '', "
                "'in_person', '', '', '', '', 'Europe/London', 'held', 'uid-1', 0, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        rt = session.scalar(text("SELECT id FROM roundtable"))
        session.execute(
            text(
                "INSERT INTO evidence_need (roundtable_id, statement, theme_id, priority, "
                "evidence_kind, raised_by_sector_id, created_at) VALUES "
                "(:rt, 'How many victims are there?', :theme, 'high', 'prevalence estimate', "
                ":sector, CURRENT_TIMESTAMP), "
                "(:rt, 'What does it cost?', NULL, 'low', 'something else', NULL, "
                "CURRENT_TIMESTAMP)"
            ),
            {"rt": rt, "theme": theme, "sector": sector},
        )
        session.execute(
            text(
                "INSERT INTO shared_challenge (roundtable_id, statement, theme_id, created_at) "
                "VALUES (:rt, 'Data are not shared', :theme, CURRENT_TIMESTAMP)"
            ),
            {"rt": rt, "theme": theme},
        )
        session.execute(
            text(
                "INSERT INTO action (roundtable_id, description, owner, due_on, done, created_at) "
                "VALUES (:rt, 'Write to the Home Office', 'The centre', '2026-03-01', true, "
                "CURRENT_TIMESTAMP)"
            ),
            {"rt": rt},
        )
    engine.dispose()

    db = open_database(any_url)
    try:
        with db.transaction() as session:
            notes = session.scalars(select(DiscussionNote).order_by(DiscussionNote.position)).all()
            seen = [
                (
                    n.kind,
                    n.text,
                    n.priority,
                    n.evidence_kind,
                    [t.name for t in n.themes],
                    [s.name for s in n.sectors],
                    n.action_status,
                    n.owner,
                    str(n.due_on) if n.due_on else None,
                )
                for n in notes
            ]
            # a new note gets a fresh id after the copied ones (PostgreSQL's sequence moved on)
            session.add(DiscussionNote(roundtable_id=rt, kind="point", text="New", position=9))
            session.flush()
            for table in ("evidence_need", "shared_challenge", "action"):
                assert table not in db.engine.dialect.get_table_names(session.connection())
    finally:
        db.close()
    assert seen == [
        (
            "need",
            "How many victims are there?",
            "high",
            "prevalence",
            ["Supply chains"],
            ["Government"],
            None,
            "",
            None,
        ),
        ("need", "What does it cost?", "low", "other", [], [], None, "", None),
        ("challenge", "Data are not shared", None, None, ["Supply chains"], [], None, "", None),
        (
            "action",
            "Write to the Home Office",
            None,
            None,
            [],
            [],
            "done",
            "The centre",
            "2026-03-01",
        ),
    ]
