"""The directory's table model: Qt's model contract, filtering and sorting (no database)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from roundtable_app.core.model import PersonRow
from roundtable_app.ui.directory import people_model as pm


def row(pid: int, name: str, **fields: object) -> PersonRow:
    values: dict[str, object] = {
        "id": pid,
        "full_name": name,
        "organisation": "",
        "sector": "",
        "interests": "",
        "email": "",
        "lived_experience": False,
        "last_attended": None,
    }
    values.update(fields)
    return PersonRow(**values)  # type: ignore[arg-type]


UTC = dt.UTC
ROWS = [
    row(
        1,
        "Zoë Adams",
        organisation="Hope Trust",
        sector="Civil society",
        interests="Forced labour in supply chains; Survivor support",
        email="zoe@hope.example",
        last_attended=dt.datetime(2025, 3, 1, tzinfo=UTC),
    ),
    row(
        2,
        "amir Khan",
        organisation="Home Office",
        sector="Government",
        interests="Policing and prosecution",
        email="amir@gov.example",
        lived_experience=True,
    ),
    row(
        3,
        "Bea Cole",
        organisation="Uni of Nowhere",
        sector="Academic research",
        interests="Forced labour",
        email="bea@uni.example",
        last_attended=dt.datetime(2024, 1, 5, tzinfo=UTC),
    ),
    row(4, "Carl Dunn", sector="Government", email="carl@forces.example"),
]


def names(model: pm.PeopleTableModel) -> list[str]:
    return [model.row_at(r).full_name for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    qtmodeltester.check(model)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    model.set_text_filter("forc")
    qtmodeltester.check(model)
    model.sort(pm.LAST_ATTENDED, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_text_filter("")
    model.sort(pm.EMAIL, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_text_filter_matches_name_organisation_email_and_interest(qapp) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    model.set_rows(ROWS)
    model.set_text_filter("FORC")  # interests of Zoë and Bea, Carl's e-mail
    assert names(model) == ["Bea Cole", "Carl Dunn", "Zoë Adams"]
    model.set_text_filter("forced")  # narrows the current subset
    assert names(model) == ["Bea Cole", "Zoë Adams"]
    model.set_text_filter("home off")
    assert names(model) == ["amir Khan"]
    model.set_text_filter("zoë")
    assert names(model) == ["Zoë Adams"]


def test_sector_and_interest_filters_combine_with_text(qapp) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    model.set_rows(ROWS)
    model.set_sector_filter("Government")
    assert names(model) == ["amir Khan", "Carl Dunn"]
    model.set_sector_filter(None)
    model.set_interest_filter("forced labour")  # a whole interest, not a prefix of another
    assert names(model) == ["Bea Cole"]
    model.set_interest_filter("Survivor support")
    model.set_text_filter("zo")
    assert names(model) == ["Zoë Adams"]
    model.clear_filters()
    assert model.rowCount() == 4


def test_sort_is_case_insensitive_stable_and_puts_blanks_last(qapp) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    model.set_rows(ROWS)
    assert names(model) == ["amir Khan", "Bea Cole", "Carl Dunn", "Zoë Adams"]
    model.sort(pm.LAST_ATTENDED, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Bea Cole", "Zoë Adams", "amir Khan", "Carl Dunn"]
    model.sort(pm.LAST_ATTENDED, Qt.SortOrder.DescendingOrder)
    assert names(model)[:2] == ["Zoë Adams", "Bea Cole"]  # never attended: still last
    model.sort(pm.SECTOR, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Bea Cole", "Zoë Adams", "amir Khan", "Carl Dunn"]  # stable


def test_roles(qapp) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    model.set_rows(ROWS)
    zoe = model.view_rows_of([1])[1]
    assert model.index(zoe, pm.INTERESTS).data(Qt.ItemDataRole.ToolTipRole) == (
        "Forced labour in supply chains\nSurvivor support"
    )
    assert model.index(zoe, 0).data(pm.PERSON_ID_ROLE) == 1
    amir = model.view_rows_of([2])[2]
    assert model.index(amir, pm.LIVED_EXPERIENCE).data() == "Yes"
    assert model.index(zoe, pm.LIVED_EXPERIENCE).data() == ""
    assert model.index(zoe, pm.LAST_ATTENDED).data()  # a local date
    assert model.index(amir, pm.LAST_ATTENDED).data() == ""


def test_row_changes_replace_add_and_remove(qapp) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    model.set_rows(ROWS)
    model.apply_row_changes({2: None, 3: row(3, "Aaron Cole"), 9: row(9, "Dee New")})
    assert names(model) == ["Aaron Cole", "Carl Dunn", "Dee New", "Zoë Adams"]


def test_search_keys_follow_edits(qapp) -> None:  # type: ignore[no-untyped-def]
    model = pm.PeopleTableModel()
    model.set_rows(ROWS)
    model.set_text_filter("x")  # builds the search keys
    long_name = "Organisation with a much longer name than any before it, Ltd"
    model.apply_row_changes({4: row(4, "Carl Dunn", organisation=long_name, sector="Funder")})
    assert model.has_search_keys  # updated in place, widened for the longer text
    model.set_text_filter("before it, ltd")
    assert names(model) == ["Carl Dunn"]
    model.set_text_filter("")
    model.set_sector_filter("Funder")
    assert names(model) == ["Carl Dunn"]
    model.apply_row_changes({2: None})
    model.set_sector_filter(None)
    model.set_text_filter("home office")
    assert names(model) == []
