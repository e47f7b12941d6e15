"""What the status bar counts on each page: that page's own things.

The People page counts people ("1,204 people · 38 shown"), the Roundtables page
roundtables ("38 roundtables · 4 shown"), the Calendar the roundtables of the period
on screen, the Grouping page the people to seat and their tables. The main window
shows the text of the page in view and asks again when the page's signals (listed
in :data:`UPDATED_BY`) say its counts may have changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def directory_text(page: Any) -> str:
    """``1,204 people`` (``· 38 shown`` under a filter); ``Loading…`` until all are read."""
    if not page.loaded:
        return "Loading…"
    model = page.model
    text = _count(model.total_count, "person", "people")
    if model.is_filtered:
        text += f" · {model.shown_count:,} shown"
    return text


def roundtables_text(page: Any) -> str:
    """``38 roundtables · 4 shown``: all there are, and those the tab and search list."""
    from roundtable_app.core.errors import RoundtableError
    from roundtable_app.services import roundtables

    try:
        with page.ctx.db.reading() as session:
            total = len(roundtables.list_roundtables(session, roundtables.View.ALL))
    except RoundtableError:
        return ""
    shown = page.model.rowCount()
    text = _count(total, "roundtable")
    return text if shown == total else f"{text} · {shown:,} shown"


def calendar_text(page: Any) -> str:
    """``3 roundtables in December 2026`` (the month or week on screen)."""
    period = page.period_title()
    if not page.count:
        return f"No roundtables in {period}"
    return f"{_count(page.count, 'roundtable')} in {period}"


def grouping_text(page: Any) -> str:
    """``24 people to seat · 3 tables`` (tables once there is a plan)."""
    people = page.people_count()
    if page.is_loading and not people:
        return "Loading…"
    text = f"{_count(people, 'person', 'people')} to seat" if people else "No one to seat yet"
    plan = page.plan
    if plan is not None and plan.tables:
        text += f" · {_count(len(plan.tables), 'table')}"
    return text


TEXT_OF: dict[str, Callable[[Any], str]] = {
    "directory": directory_text,
    "roundtables": roundtables_text,
    "calendar": calendar_text,
    "grouping": grouping_text,
    "statistics": lambda page: page.status_text(),
    "register": lambda page: page.status_text(),
}
"""The status text of each page, by its key in the main window's ``PAGES``."""

UPDATED_BY: dict[str, tuple[str, ...]] = {
    "directory": ("counts_changed", "rows_loaded"),
    "roundtables": ("rows_loaded",),
    "calendar": ("period_changed",),
    "grouping": ("pool_loaded", "plan_changed"),
    "statistics": ("figures_shown",),
    "register": ("entries_loaded",),
}
"""The signals after which a page's counts may read differently."""


def status_text(key: str, page: QWidget) -> str:
    """What the status bar says while ``page`` (the page ``key``) is in view."""
    text_of = TEXT_OF.get(key)
    return text_of(page) if text_of is not None else ""


def connect_updates(key: str, page: QWidget, slot: Callable[[], None]) -> None:
    """Call ``slot`` whenever ``page``'s counts may have changed."""
    for name in UPDATED_BY.get(key, ()):
        signal = getattr(page, name, None)
        if signal is not None:
            signal.connect(lambda *_args: slot())
