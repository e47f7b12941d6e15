"""The window's pages: which there are, how each is built, and what it puts in the Edit menu.

Adding a page is one line in :data:`PAGES`. Pages are built when first asked
for (:class:`LazyPages`), so the start builds only the page in view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from roundtable_app.ui.context import AppContext


def _directory_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.directory import DirectoryPage

    return DirectoryPage(ctx)


def _roundtables_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.roundtables import RoundtablesPage

    return RoundtablesPage(ctx)


def _calendar_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.calendar import CalendarPage

    return CalendarPage(ctx)


def _grouping_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.grouping import GroupingPage

    return GroupingPage(ctx)


def _statistics_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.statistics import StatisticsPage

    return StatisticsPage(ctx)


def _register_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.register import RegisterPage

    return RegisterPage(ctx)


class LazyPages(dict[str, QWidget]):
    """The window's pages by key; each is built the first time it is asked for.

    Building every page at start-up read the roundtables, their invitees and
    their mix before the first names could show; now a page costs its time
    when it is first opened (its modules are imported in the background once
    the names are on screen).
    """

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        page = self._build(key)
        self[key] = page
        return page


@dataclass(frozen=True)
class PageSpec:
    """A page of the navigation: its settings key, title and how to build it."""

    key: str
    title: str
    build: Callable[[AppContext], QWidget]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("directory", "People", _directory_page),
    PageSpec("roundtables", "Roundtables", _roundtables_page),
    PageSpec("calendar", "Calendar", _calendar_page),
    PageSpec("grouping", "Grouping", _grouping_page),
    PageSpec("statistics", "Statistics", _statistics_page),
    PageSpec("register", "Evidence needs", _register_page),
)


def page_actions(page: QWidget) -> list[QAction | None]:
    """What ``page`` offers in the Edit menu (``None`` is a separator).

    A page lists them in ``menu_actions()``; without one, the actions added to the
    page itself (``QWidget.addAction``) are its menu.
    """
    own = getattr(page, "menu_actions", None)
    if callable(own):
        return list(own())
    return list(page.actions())
