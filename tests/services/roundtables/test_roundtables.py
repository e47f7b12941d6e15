"""Roundtables and their invitees: edits, undo, conflicts, statuses, suggestions and mix."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.core.model import Format, InviteeRole, Response, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import (
    InviteeStatus,
    RoundtableData,
    View,
    invitee_status,
    list_between,
    list_roundtables,
)
from roundtable_app.storage.models import Invitation

START = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)


def data(**changes: object) -> RoundtableData:
    values: dict[str, object] = dict(
        title="  Forced   labour roundtable ",
        purpose="Agree the evidence needs.",
        themes=("Forced labour", "forced labour", "Supply chains"),
        evidence_questions="What works?\n\n  Who is missed? ",
        series="Supply chains programme",
        format=Format.IN_PERSON,
        venue="Wilberforce Room",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
    )
    values.update(changes)
    return RoundtableData(**values)  # type: ignore[arg-type]


def test_create_cleans_and_stores_everything(db):
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data())
    assert rt.status == RoundtableStatus.DRAFT and rt.ical_sequence == 0
    assert rt.ical_uid.endswith("@roundtable.invalid") and len(rt.ical_uid) > 36
    assert rt.data.title == "Forced labour roundtable"
    assert rt.data.themes == ("Forced labour", "Supply chains")
    assert rt.data.evidence_questions == "What works?\nWho is missed?"
    with db.reading() as s:
        again = roundtables.get_roundtable(s, rt.id)
    assert again == rt
    with db.transaction() as s:
        other = roundtables.create_roundtable(s, data(), uid_domain="centre.example")
    assert other.ical_uid.endswith("@centre.example") and other.ical_uid != rt.ical_uid


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": "Europe"}, "time_zone"),  # a folder of the zone database
        ({"ends_at": START}, "ends_at"),
        ({"ends_at": None}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"format": Format.ONLINE}, "online_link"),
        ({"online_link": "meet.example.org/j/1"}, "online_link"),
    ],
)
def test_invalid_data_is_refused_with_the_field(db, changes, field):
    with pytest.raises(ValidationError) as info, db.transaction() as s:
        roundtables.create_roundtable(s, data(**changes))
    assert info.value.field == field


def test_local_times_and_the_skipped_hour():
    starts, ends = roundtables.local_times(
        dt.date(2026, 7, 1), dt.time(10), dt.timedelta(hours=2), "Europe/London"
    )
    assert starts == dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    assert ends - starts == dt.timedelta(hours=2)
    with pytest.raises(ValidationError, match="clocks go forward"):
        roundtables.local_times(
            dt.date(2026, 3, 29), dt.time(1, 30), dt.timedelta(hours=1), "Europe/London"
        )


def test_update_undo_and_stale_save(db):
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data())
    with db.transaction() as s:
        edit = roundtables.update_roundtable(s, rt.id, replace(rt.data, title="New"), rt.version)
    assert edit.before.data.title == "Forced labour roundtable" and edit.after.data.title == "New"
    assert not edit.sequence_raised  # nothing sent yet: the first invitation stays SEQUENCE 0
    with pytest.raises(ConflictError), db.transaction() as s:
        roundtables.update_roundtable(s, rt.id, replace(rt.data, title="Stale"), rt.version)
    with db.transaction() as s:
        undone = roundtables.update_roundtable(s, rt.id, edit.before.data, edit.after.version)
    assert undone.after.data == rt.data


def _send_all(db, rt_id):
    with db.transaction() as s:
        for inv in s.scalars(select(Invitation).where(Invitation.roundtable_id == rt_id)):
            inv.sent_sequence = roundtables.get_roundtable(s, rt_id).ical_sequence
            inv.sent_method = "request"


def test_sequence_rises_on_time_place_and_status_once_sent(db, make_person):
    people = [make_person(db) for _ in range(2)]
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data())
        roundtables.add_invitees(s, rt.id, people)
        rt = roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version).after
    assert rt.ical_sequence == 0
    _send_all(db, rt.id)
    with db.transaction() as s:
        e = roundtables.update_roundtable(
            s, rt.id, replace(rt.data, purpose="New words"), rt.version
        )
        assert not e.sequence_raised  # wording only: not time, place or status
        e = roundtables.update_roundtable(
            s, rt.id, replace(e.after.data, venue="Room 2"), e.after.version
        )
        assert e.sequence_raised and e.after.ical_sequence == 1
        rows = roundtables.invitee_rows(s, rt.id)
        assert {r.status for r in rows} == {InviteeStatus.NEEDS_UPDATE}
        e = roundtables.update_roundtable(
            s,
            rt.id,
            replace(e.after.data, online_link="https://x.example/1", format=Format.HYBRID),
            e.after.version,
        )
        assert e.after.ical_sequence == 2
        e = roundtables.set_status(s, rt.id, RoundtableStatus.CANCELLED, e.after.version)
        assert e.after.ical_sequence == 3
        # Undo of the cancellation reinstates it, and that too is news for invitees.
        e = roundtables.set_status(s, rt.id, e.before.status, e.after.version)
        assert e.after.status == RoundtableStatus.SCHEDULED and e.after.ical_sequence == 4


def test_status_transitions(db, make_person):
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data(starts_at=None, ends_at=None))
    with pytest.raises(ValidationError, match="date and time"), db.transaction() as s:
        roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version)
    with pytest.raises(ValidationError, match="cannot become held"), db.transaction() as s:
        roundtables.set_status(s, rt.id, RoundtableStatus.HELD, rt.version)
    with db.transaction() as s:
        rt = roundtables.update_roundtable(s, rt.id, data(), rt.version).after
        rt = roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version).after
    with pytest.raises(ValidationError, match="not started"), db.transaction() as s:
        roundtables.set_status(s, rt.id, RoundtableStatus.HELD, rt.version, now=NOW)
    with db.transaction() as s:
        held = roundtables.set_status(
            s, rt.id, RoundtableStatus.HELD, rt.version, now=START + dt.timedelta(hours=3)
        )
    assert held.after.status == RoundtableStatus.HELD and not held.sequence_raised


def test_lists_by_tab_and_search(db, make_person):
    person = make_person(db)
    with db.transaction() as s:
        up = roundtables.create_roundtable(s, data(title="Upcoming policing"))
        roundtables.add_invitees(s, up.id, [person])
        roundtables.set_status(s, up.id, RoundtableStatus.SCHEDULED, up.version)
        past = roundtables.create_roundtable(
            s,
            data(
                title="Past one",
                starts_at=NOW - dt.timedelta(days=30),
                ends_at=NOW - dt.timedelta(days=30, hours=-2),
            ),
        )
        draft = roundtables.create_roundtable(s, data(title="Draft", starts_at=None, ends_at=None))
        gone = roundtables.create_roundtable(s, data(title="Gone"))
        roundtables.set_status(s, gone.id, RoundtableStatus.CANCELLED, gone.version)
    with db.reading() as s:
        ids = {v: [r.id for r in list_roundtables(s, v, now=NOW)] for v in View}
        found = list_roundtables(s, search="POLICING", now=NOW)
        rows = {r.id: r for r in list_roundtables(s, now=NOW)}
    assert ids[View.UPCOMING] == [up.id, draft.id]
    assert ids[View.PAST] == [past.id]
    assert ids[View.DRAFTS] == [past.id, draft.id]
    assert ids[View.CANCELLED] == [gone.id]
    assert [r.id for r in found] == [up.id]
    assert rows[up.id].invitees == 1 and rows[up.id].local_start.hour == 10
    with db.reading() as s:
        holding = {rt.id: roundtables.views_holding(s, rt.id, now=NOW) for rt in (up, past, gone)}
        holding[draft.id] = roundtables.views_holding(s, draft.id, now=NOW)
    # The same tabs as the lists themselves: the page follows a roundtable to one of them.
    assert holding[up.id] == [View.ALL, View.UPCOMING]
    assert holding[past.id] == [View.ALL, View.PAST, View.DRAFTS]
    assert holding[draft.id] == [View.ALL, View.UPCOMING, View.DRAFTS]
    assert holding[gone.id] == [View.ALL, View.CANCELLED]


def test_invitees_add_withdraw_restore_and_roles(db, make_person):
    people = [make_person(db, sector="Government") for _ in range(3)]
    quiet = make_person(db, may_contact=False)
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data(capacity=2))
        added = roundtables.add_invitees(s, rt.id, [*people, quiet, people[0]])
    assert len(added.added) == 3 and added.not_contactable == (quiet,)
    with db.transaction() as s:
        again = roundtables.add_invitees(s, rt.id, people[:1])
        assert again.already_invited == (people[0],) and not again.added
        assert "1 over capacity" in roundtables.capacity_warning(s, rt.id)
        before = roundtables.set_role(s, added.added[:1], InviteeRole.CHAIR)
        assert before == {added.added[0]: InviteeRole.PARTICIPANT}
        removed = roundtables.withdraw_invitees(s, added.added[1:])
        assert all(r.deleted for r in removed)  # never sent: simply gone
        assert roundtables.capacity_warning(s, rt.id) is None
    with db.transaction() as s:
        roundtables.restore_invitees(s, removed)
        rows = roundtables.invitee_rows(s, rt.id)
    assert sorted(r.invitation_id for r in rows) == sorted(added.added)
    assert {r.role for r in rows} == {InviteeRole.CHAIR, InviteeRole.PARTICIPANT}
    assert all(r.status == InviteeStatus.NOT_SENT and r.status_label == "not sent" for r in rows)
    # Undo of the add removes them again.
    with db.transaction() as s:
        roundtables.withdraw_invitees(s, added.undo_ids)
        assert roundtables.invitee_rows(s, rt.id) == []


def test_invitee_status_rules():
    base = dict(
        roundtable_status=RoundtableStatus.SCHEDULED,
        ical_sequence=2,
        sent_method="request",
        withdrawn=False,
    )
    assert (
        invitee_status(**base, sent_sequence=None, response=Response.NEEDS_ACTION)
        == InviteeStatus.NOT_SENT
    )
    assert (
        invitee_status(**base, sent_sequence=2, response=Response.NEEDS_ACTION)
        == InviteeStatus.SENT
    )
    assert (
        invitee_status(**base, sent_sequence=1, response=Response.ACCEPTED)
        == InviteeStatus.NEEDS_UPDATE
    )
    assert (
        invitee_status(**base, sent_sequence=2, response=Response.DECLINED)
        == InviteeStatus.DECLINED
    )
    assert (
        invitee_status(**base, sent_sequence=2, response=Response.TENTATIVE)
        == InviteeStatus.TENTATIVE
    )
    assert (
        invitee_status(**{**base, "withdrawn": True}, sent_sequence=2, response=Response.ACCEPTED)
        == InviteeStatus.CANCEL_NOT_SENT
    )
    assert (
        invitee_status(
            **{**base, "sent_method": "cancel"}, sent_sequence=3, response=Response.ACCEPTED
        )
        == InviteeStatus.CANCELLED
    )


def test_suggestions_rank_rare_shared_themes_first(db, make_person):
    for i in range(12):
        make_person(db, full_name=f"Common {i:02}", interests=("Supply chains",), sector="Business")
    rare = make_person(
        db, full_name="Rare Expert", interests=("Forced labour",), sector="Academic research"
    )
    both = make_person(db, full_name="Both Themes", interests=("Forced labour", "Supply chains"))
    make_person(db, full_name="Unrelated", interests=("Policing",))
    make_person(db, full_name="No Consent", interests=("Forced labour",), may_contact=False)
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data())
        ranked = roundtables.suggest_invitees(s, rt.id, limit=5)
    assert [x.name for x in ranked[:2]] == ["Both Themes", "Rare Expert"]
    assert ranked[0].matched == ("Forced labour", "Supply chains")
    assert all(x.name not in ("Unrelated", "No Consent") for x in ranked)
    assert rare != both and len(ranked) == 5
    with db.transaction() as s:
        roundtables.add_invitees(s, rt.id, [both])
        assert "Both Themes" not in [x.name for x in roundtables.suggest_invitees(s, rt.id)]
        assert roundtables.people_interested_in(s, "forced LABOUR") == sorted([rare, both])


def test_mix_counts_sectors_lived_experience_and_dominance(db, make_person):
    gov = [make_person(db, sector="Government") for _ in range(3)]
    other = [
        make_person(db, sector="Civil society"),
        make_person(db, sector="Lived experience", lived_experience=True),
    ]
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data(capacity=4))
        roundtables.add_invitees(s, rt.id, gov + other)
        mix = roundtables.invitee_mix(s, rt.id)
    assert mix.invited == mix.expected == 5 and mix.sectors["Government"] == 3
    assert mix.lived_experience == 1
    assert mix.dominant_sector == "Government" and mix.dominant_share == pytest.approx(0.6)
    assert mix.pairs == 10 and mix.new_pairs == 10  # nobody has met before
    assert mix.over_capacity == 1
    assert any("Government is 60%" in w for w in mix.warnings)


def test_one_definition_of_invited_for_the_list_the_mix_and_the_counts(db, make_person):
    people = [make_person(db, sector="Government") for _ in range(5)]
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data())
        added = roundtables.add_invitees(s, rt.id, people).added
        invitations = {i.id: i for i in s.scalars(select(Invitation))}
        invitations[added[0]].response = Response.DECLINED.value
        invitations[added[1]].response = Response.ACCEPTED.value
        invitations[added[2]].sent_sequence = 0  # sent, then withdrawn: kept, not invited
        roundtables.withdraw_invitees(s, [added[2], added[3]])
    with db.reading() as s:
        [row] = list_roundtables(s, View.ALL)
        mix = roundtables.invitee_mix(s, rt.id)
        counts = roundtables.invite_counts(s)[rt.id]
        listed = [r for r in roundtables.invitee_rows(s, rt.id) if not r.withdrawn]
    # Invited = not withdrawn; the one who declined was invited all the same.
    assert row.invitees == mix.invited == counts.invited == len(listed) == 3
    assert row.accepted == mix.accepted == counts.accepted == 1
    assert row.declined == mix.declined == counts.declined == 1
    assert mix.expected == counts.expected == 2  # the mix is of those not declined


def test_list_between_for_the_calendar_view(db):
    with db.transaction() as s:
        inside = roundtables.create_roundtable(s, data(title="In December"))
        late = roundtables.create_roundtable(
            s,
            data(
                title="Across midnight",
                starts_at=dt.datetime(2026, 11, 30, 23, tzinfo=dt.UTC),
                ends_at=dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC),
            ),
        )
        roundtables.create_roundtable(
            s,
            data(
                title="January",
                starts_at=dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC),
                ends_at=dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC),
            ),
        )
        gone = roundtables.create_roundtable(s, data(title="Gone"))
        roundtables.set_status(s, gone.id, RoundtableStatus.CANCELLED, gone.version)
    december = (dt.datetime(2026, 12, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with db.reading() as s:
        rows = list_between(s, *december)
        shown = list_between(s, *december, include_cancelled=False)
    assert [r.id for r in rows] == [late.id, inside.id, gone.id]
    assert [r.id for r in shown] == [late.id, inside.id]


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("%", ["100% attendance"]),
        ("_", ["Data_sharing"]),
        ("0%", ["100% attendance"]),
        ("a_s", ["Data_sharing"]),
        ("\\", ["Back\\slash"]),
        ("%attendance", []),
    ],
)
def test_search_takes_percent_underscore_and_backslash_literally(db, search, titles):
    """`%` and `_` are what the user typed, not wildcards that match everything."""
    with db.transaction() as s:
        for title in ("100% attendance", "Data_sharing", "Back\\slash", "Plain roundtable"):
            roundtables.create_roundtable(s, data(title=title, purpose="", venue="", series=""))
    with db.reading() as s:
        found = [r.title for r in list_roundtables(s, search=search, now=NOW)]
    assert found == titles
