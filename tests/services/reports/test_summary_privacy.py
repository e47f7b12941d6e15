"""Privacy over every summary output of a demo database: PDF and .docx, with and without
the participant list, for several held roundtables, read back as text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import docx.table
import openpyxl
import pytest
from pypdf import PdfReader

from roundtable_app.core.discussion import NoteKind, SummaryState
from roundtable_app.services import discussion, register, reports
from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.models import Invitation, Person, Roundtable
from roundtable_app.storage.unit_of_work import Database, open_database

DISCUSSION_STARTS = "What was discussed"


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    """The text in document order: paragraphs and tables as they come."""
    document = docx.Document(str(path))
    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            parts += [c.text for row in block.rows for c in row.cells]
        else:
            parts.append(block.text)
    header = document.sections[0].header.paragraphs[0].text
    return " ".join(" ".join(x.split()) for x in [header, *parts])


def summary_outputs(db: Database, roundtable_id: int, folder: Path) -> Iterator[tuple[str, str]]:
    """Every summary output of one roundtable as (name, text)."""
    for with_people in (False, True):
        with db.reading() as s:
            content = discussion.build_summary(s, roundtable_id, with_participants=with_people)
        for suffix, write, read in (
            (".pdf", reports.write_summary_pdf, pdf_text),
            (".docx", reports.write_summary_docx, docx_text),
        ):
            path = folder / f"{roundtable_id}-{with_people}{suffix}"
            write(content, path)
            yield path.name, read(path)


def xlsx_text(path: Path) -> str:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def register_outputs(db: Database, folder: Path) -> Iterator[tuple[str, str]]:
    """Every register output (PDF, CSV, .xlsx) of the whole register and of one theme,
    with the demo's similar needs grouped as staff would confirm them."""
    with db.transaction() as s:
        # A need that names an invitee who did not consent, and their organisation.
        held = s.query(Roundtable).filter_by(status="held").order_by(Roundtable.starts_at).all()
        drafts = [rt for rt in held if discussion.summary_state(s, rt.id)[0] == SummaryState.DRAFT]
        for roundtable in drafts[-3:]:
            person = (
                s.query(Person)
                .join(Invitation)
                .filter(Invitation.roundtable_id == roundtable.id, Person.may_be_named.is_(False))
                .first()
            )
            assert person is not None
            discussion.add_note(
                s,
                roundtable.id,
                NoteKind.NEED,
                fields=discussion.NoteFields(
                    text=f"Ask {person.full_name.upper()} how prevalent forced labour is",
                    themes=(register.filter_choices(s).themes[0],),
                ),
            )
        for suggestion in register.suggest_groups(s)[:5]:
            register.confirm_group(s, sorted(suggestion.note_ids))
    with db.reading() as s:
        theme = register.filter_choices(s).themes[0]
        contents = {
            "all": register.build_register(s),
            "theme": register.build_register(s, register.RegisterFilter(theme=theme)),
        }
    for scope, content in contents.items():
        assert content.entries, scope
        for suffix, read in (
            (".pdf", pdf_text),
            (".csv", lambda p: p.read_text(encoding="utf-8-sig")),
            (".xlsx", xlsx_text),
        ):
            path = folder / f"register-{scope}{suffix}"
            register.write_register(content, path)
            yield path.name, read(path)


#: Every register output is checked like the summaries' discussion sections.
REGISTER_OUTPUTS: list[Callable[[Database, Path], Iterator[tuple[str, str]]]] = [register_outputs]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("privacy")
    database = open_database(f"sqlite:///{folder / 'd.db'}")
    generate_demo(database)
    yield database, folder
    database.close()


def test_no_output_names_anyone_who_did_not_consent_nor_anyone_in_the_discussion(
    demo: tuple[Database, Path],
) -> None:
    db, folder = demo
    with db.reading() as s:
        held = [
            rt.id
            for rt in s.query(Roundtable).filter_by(status="held").order_by(Roundtable.starts_at)
        ]
        invited = {
            rid: [
                (p.full_name, p.may_be_named)
                for p in s.query(Person).join(Invitation).filter(Invitation.roundtable_id == rid)
            ]
            for rid in held
        }
    chosen = held[-5:]  # the latest names someone in a note; three were made final
    outputs = 0
    for rid in chosen:
        hidden = [name for name, named in invited[rid] if not named]
        everyone = [name for name, _ in invited[rid]]
        for name, text in summary_outputs(db, rid, folder):
            outputs += 1
            assert "Held under the Chatham House Rule" in text, name
            leaked = [who for who in hidden if who in text]
            assert not leaked, (name, leaked)
            discussed = text[text.index(DISCUSSION_STARTS) :]
            named = [who for who in everyone if who in discussed]
            assert not named, (name, named)
    everyone = sorted({who for people in invited.values() for who, _ in people})
    registers = 0
    for outputs_of in REGISTER_OUTPUTS:
        for name, text in outputs_of(db, folder):
            registers += 1
            # Nothing in the register names anyone, nor says who has lived experience.
            folded = text.casefold()
            assert not [who for who in everyone if who.casefold() in folded], name
            assert "Lived experience" not in text, name
    assert outputs == 4 * len(chosen)
    assert registers == 6
    with db.reading() as s:  # the guard had something to catch
        assert discussion.note_flags(s, held[-1])
