"""The evidence-needs register on both databases: filters, privacy, grouping, edits."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.discussion import NeedStatus, NoteKind
from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.core.model import Priority
from roundtable_app.services import discussion, register
from roundtable_app.services.register import NeedEdit, RegisterFilter
from tests.register_data import FORCED, SERIES, SUPPORT, Register, make_register

CONSTRUCTION = "What is the prevalence of forced labour in UK construction supply chains?"
SCOTLAND = "What is the prevalence of forced labour in construction in Scotland?"
PREVALENT = "How prevalent is forced labour in construction supply chains in the UK?"
ACROSS = "Forced labour prevalence across UK construction supply chains"
RECOVERY = "What support services lead to better long-term recovery for survivors?"
OUTCOMES = "Which survivor support services improve long-term recovery outcomes?"
POLICE = "How much does police training on exploitation cost per officer?"


@pytest.fixture
def reg(db) -> Register:  # type: ignore[no-untyped-def]
    return make_register(db)


def _texts(reg: Register, criteria: RegisterFilter = RegisterFilter()) -> set[str]:  # noqa: B008
    with reg.db.reading() as s:
        return {n.text for n in register.list_needs(s, criteria)}


def test_every_need_is_listed_with_no_invitee_named(reg: Register) -> None:
    texts = _texts(reg)
    assert len(texts) == 9
    assert not any("Müller" in t or "José" in t for t in texts)
    assert (
        "Ask a participant from Government how councils count victims placed in care homes" in texts
    )


def test_filters_by_series_theme_dates_priority_status_and_text(reg: Register) -> None:
    assert _texts(reg, RegisterFilter(series=SERIES.upper())) >= {CONSTRUCTION, PREVALENT, OUTCOMES}
    assert ACROSS not in _texts(reg, RegisterFilter(series=SERIES))
    assert _texts(reg, RegisterFilter(theme=SUPPORT)) == {
        RECOVERY,
        OUTCOMES,
        "Ask a participant from Government how councils count victims placed in care homes",
    }
    assert _texts(
        reg, RegisterFilter(date_from=dt.date(2026, 2, 11), date_to=dt.date(2026, 3, 18))
    ) == {PREVALENT, RECOVERY, OUTCOMES}
    assert _texts(reg, RegisterFilter(priority=Priority.HIGH)) == {CONSTRUCTION, RECOVERY, POLICE}
    assert _texts(reg, RegisterFilter(text="  POLICE training ")) == {POLICE}
    assert _texts(reg, RegisterFilter(status=NeedStatus.ANSWERED)) == set()
    assert len(_texts(reg, RegisterFilter(status=NeedStatus.OPEN))) == 9


def test_a_sector_filter_finds_only_what_may_be_credited_to_it(reg: Register) -> None:
    assert _texts(reg, RegisterFilter(sector="Academic research")) == {
        PREVALENT,
        OUTCOMES,
        ACROSS,
        "Ask a participant from Government how councils count victims placed in care homes",
    }
    # One person from Frontline practice and one with lived experience took part:
    # what they raised is never found by their sector.
    assert _texts(reg, RegisterFilter(sector="Frontline practice")) == set()
    assert _texts(reg, RegisterFilter(sector="Lived experience")) == set()
    with reg.db.reading() as s:
        choices = register.filter_choices(s)
    assert choices.series == (SERIES,)
    assert "Lived experience" not in choices.sectors
    assert FORCED in choices.themes


def _suggested(reg: Register, **kw: object) -> list[set[str]]:
    with reg.db.reading() as s:
        return [{n.text for n in x.needs} for x in register.suggest_groups(s, **kw)]  # type: ignore[arg-type]


def test_near_duplicates_from_different_roundtables_are_suggested_together(reg: Register) -> None:
    suggested = _suggested(reg)
    assert suggested == [{CONSTRUCTION, PREVALENT, ACROSS}, {RECOVERY, OUTCOMES}]
    # The same question asked twice at one roundtable is never in one suggestion.
    assert all(not {CONSTRUCTION, SCOTLAND} <= s for s in suggested)
    assert all(POLICE not in s for s in suggested)


def test_a_dismissed_suggestion_is_not_offered_again(reg: Register) -> None:
    with reg.db.reading() as s:
        first = register.suggest_groups(s)[1]
    assert _suggested(reg, dismissed=[first.key]) == [{CONSTRUCTION, PREVALENT, ACROSS}]


def test_a_dismissal_is_kept_for_the_whole_team_and_can_be_undone(reg: Register) -> None:
    with reg.db.reading() as s:
        first = register.suggest_groups(s)[1]
    with reg.db.transaction() as s:
        assert register.dismiss_suggestion(s, first.key)
        assert not register.dismiss_suggestion(s, first.key)  # twice is once
    # A colleague (a new session) is not offered it either.
    assert _suggested(reg) == [{CONSTRUCTION, PREVALENT, ACROSS}]
    with reg.db.transaction() as s:
        register.restore_suggestion(s, first.key)
    assert _suggested(reg) == [{CONSTRUCTION, PREVALENT, ACROSS}, {RECOVERY, OUTCOMES}]


def _entry(reg: Register, text: str) -> register.Entry:
    with reg.db.reading() as s:
        entries = register.entries_of(register.list_needs(s))
    return next(e for e in entries if text in {n.text for n in e.needs})


def test_confirming_a_group_makes_one_ranked_entry_and_undo_takes_it_apart(reg: Register) -> None:
    ids = [reg.needs[t] for t in (CONSTRUCTION, PREVALENT, ACROSS)]
    with reg.db.transaction() as s:
        change = register.confirm_group(s, ids)
    entry = _entry(reg, ACROSS)
    assert entry.text == CONSTRUCTION  # high priority speaks first
    assert set(entry.also) == {PREVALENT, ACROSS}
    assert entry.raised == "raised at 3 roundtables by Academic research, Government and others"
    with reg.db.reading() as s:
        content = register.build_register(s)
    assert content.entries[0] == entry  # raised at the most roundtables: ranked first
    with reg.db.transaction() as s:
        register.undo_group(s, change)
        assert register.group_count(s) == 0
    assert len(_entry(reg, ACROSS).needs) == 1


def test_a_group_named_only_by_large_sectors_counts_them(reg: Register) -> None:
    with reg.db.transaction() as s:
        register.confirm_group(s, [reg.needs[PREVALENT], reg.needs[ACROSS]])
    assert _entry(reg, ACROSS).raised == (
        "raised at 2 roundtables by 2 sectors: Academic research, Government"
    )


def test_two_needs_of_one_roundtable_are_never_grouped(reg: Register) -> None:
    with reg.db.transaction() as s, pytest.raises(ValidationError, match="same roundtable"):
        register.confirm_group(s, [reg.needs[CONSTRUCTION], reg.needs[SCOTLAND]])


def test_a_new_need_is_suggested_to_join_a_confirmed_group(reg: Register) -> None:
    with reg.db.transaction() as s:
        group = register.confirm_group(s, [reg.needs[CONSTRUCTION], reg.needs[PREVALENT]]).group_id
    with reg.db.reading() as s:
        suggestion = register.suggest_groups(s)[0]
    assert suggestion.joins_group == group
    with reg.db.transaction() as s:
        change = register.confirm_group(s, sorted(suggestion.note_ids))
    assert change.group_id == group and not change.created
    assert len(_entry(reg, ACROSS).needs) == 3
    with reg.db.transaction() as s:
        register.undo_group(s, change)
    assert len(_entry(reg, CONSTRUCTION).needs) == 2  # the group staff made before stays


def test_split_and_leave_dissolve_groups(reg: Register) -> None:
    ids = [reg.needs[t] for t in (CONSTRUCTION, PREVALENT, ACROSS)]
    with reg.db.transaction() as s:
        group = register.confirm_group(s, ids).group_id
        register.leave_group(s, reg.needs[ACROSS])
    assert len(_entry(reg, CONSTRUCTION).needs) == 2
    with reg.db.transaction() as s:
        members = register.split_group(s, group)
        assert register.group_count(s) == 0
    assert sorted(members) == sorted(ids[:2])
    with reg.db.transaction() as s:  # undo of a split: the same needs grouped again
        register.confirm_group(s, members)
    assert len(_entry(reg, CONSTRUCTION).needs) == 2


def test_grouping_gives_members_the_status_of_the_one_furthest_along(reg: Register) -> None:
    first, second = reg.needs[RECOVERY], reg.needs[OUTCOMES]
    with reg.db.transaction() as s:
        need = next(n for n in register.list_needs(s) if n.id == second)
        register.update_needs(
            s,
            [(second, need.version)],
            NeedEdit(NeedStatus.ANSWERED, "Research team", "doi:10.1000/xyz"),
        )
        change = register.confirm_group(s, [first, second])
    entry = _entry(reg, RECOVERY)
    assert {(n.status, n.answer_reference) for n in entry.needs} == {
        (NeedStatus.ANSWERED, "doi:10.1000/xyz")
    }
    with reg.db.transaction() as s:
        register.undo_group(s, change)
    assert _entry(reg, RECOVERY).status == NeedStatus.OPEN


def test_status_edits_are_version_checked_and_undone(reg: Register) -> None:
    with reg.db.reading() as s:
        need = next(n for n in register.list_needs(s) if n.text == POLICE)
    with reg.db.transaction() as s:
        undo = register.update_needs(
            s, [(need.id, need.version)], NeedEdit(NeedStatus.RESEARCHING, " Policy team ")
        )
    after = _entry(reg, POLICE)
    assert (after.status, after.centre_owner) == (NeedStatus.RESEARCHING, "Policy team")
    # A colleague who saw the need before that edit is refused, and nothing changes.
    with reg.db.transaction() as s, pytest.raises(ConflictError, match="Someone else"):
        register.update_needs(s, [(need.id, need.version)], NeedEdit(centre_owner="Other"))
    assert _entry(reg, POLICE).centre_owner == "Policy team"
    with reg.db.transaction() as s:
        register.change_needs(s, undo)
    assert (_entry(reg, POLICE).status, _entry(reg, POLICE).centre_owner) == (NeedStatus.OPEN, "")


def test_an_answered_need_must_name_the_research_that_answered_it(reg: Register) -> None:
    need = _entry(reg, POLICE).needs[0]
    with reg.db.transaction() as s, pytest.raises(ValidationError, match="reference"):
        register.update_needs(s, [(need.id, need.version)], NeedEdit(NeedStatus.ANSWERED))


def test_the_register_edits_needs_of_a_final_summary(reg: Register) -> None:
    rid = reg.roundtables["Policing exploitation"]
    with reg.db.transaction() as s:
        discussion.finalise(s, rid, 1)
    need = _entry(reg, POLICE).needs[0]
    with reg.db.transaction() as s:
        register.update_needs(s, [(need.id, need.version)], NeedEdit(NeedStatus.RESEARCHING))
    assert _entry(reg, POLICE).status == NeedStatus.RESEARCHING


def test_challenges_and_blank_needs_are_not_in_the_register(reg: Register) -> None:
    rid = reg.roundtables["County lines"]
    with reg.db.transaction() as s:
        discussion.add_note(s, rid, NoteKind.NEED)
        discussion.add_note(
            s, rid, NoteKind.CHALLENGE, fields=discussion.NoteFields(text="Data silos")
        )
    assert len(_texts(reg)) == 9


def test_undoing_a_removed_need_keeps_its_id_and_the_centres_work_on_it(reg: Register) -> None:
    with reg.db.transaction() as s:
        register.confirm_group(s, [reg.needs[CONSTRUCTION], reg.needs[PREVALENT]])
    need = _entry(reg, CONSTRUCTION).needs[0]
    with reg.db.transaction() as s:
        register.update_needs(
            s,
            [(n.id, n.version) for n in _entry(reg, CONSTRUCTION).needs],
            NeedEdit(NeedStatus.ANSWERED, "Research team", "doi:10.1000/182"),
        )
    with reg.db.transaction() as s:
        note = next(
            n
            for n in discussion.list_notes(s, need.roundtable_id)
            if n.id == reg.needs[CONSTRUCTION]
        )
        removed = discussion.remove_note(s, note.id, note.version)
    assert CONSTRUCTION not in _texts(reg)
    with reg.db.transaction() as s:
        back = discussion.restore_note(s, removed)
    assert back.id == reg.needs[CONSTRUCTION]  # an undo in the register still finds it
    entry = _entry(reg, CONSTRUCTION)
    assert {n.text for n in entry.needs} == {CONSTRUCTION, PREVALENT}  # still grouped
    assert (entry.status, entry.centre_owner, entry.answer_reference) == (
        NeedStatus.ANSWERED,
        "Research team",
        "doi:10.1000/182",
    )


def test_restoring_an_older_revision_keeps_the_centres_work_on_its_needs(reg: Register) -> None:
    rid = reg.roundtables["Policing exploitation"]
    with reg.db.transaction() as s:
        discussion.finalise(s, rid, 1)
        discussion.reopen(s, rid, 1)
    need = _entry(reg, POLICE).needs[0]
    with reg.db.transaction() as s:
        register.update_needs(
            s, [(need.id, need.version)], NeedEdit(NeedStatus.RESEARCHING, "Policy team")
        )
        register.confirm_group(s, [reg.needs[ACROSS], reg.needs[CONSTRUCTION]])
        discussion.restore_revision(s, rid, 1)
    police = _entry(reg, POLICE)
    assert police.needs[0].id == need.id
    assert (police.status, police.centre_owner) == (NeedStatus.RESEARCHING, "Policy team")
    assert {n.text for n in _entry(reg, ACROSS).needs} == {ACROSS, CONSTRUCTION}
