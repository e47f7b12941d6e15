"""How a table of the directory looks: rows, header, remembered and fitted column widths.

The People page's table and the first screen the window shows while the
database opens are set up by the same two functions, so the one can take the
other's place without a visible jump.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from roundtable_app.ui.directory import people_cells as pm
from roundtable_app.ui.settings import DIRECTORY_HEADER_STATE, Settings

#: How many names the first screen shows while a large directory loads whole.
FIRST_SCREEN = 120
#: The share of the free width each column gets when first fitted (0: fixed width).
COLUMN_SHARES = (0.17, 0.22, 0.155, 0.24, 0.215, 0.0, 0.0)


def setup_people_table(table: QTableView, settings: Settings) -> bool:
    """Give ``table`` the directory's look and remembered columns.

    Returns True when there were no remembered column widths: then fit them
    with :func:`fit_people_columns` once the table has its width.
    """
    table.setObjectName("directoryTable")
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fast at 100,000 rows
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 12)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(True)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSortIndicator(pm.NAME, Qt.SortOrder.AscendingOrder)
    header.setSortIndicatorShown(True)
    state = settings.get(DIRECTORY_HEADER_STATE)
    return state.isEmpty() or not header.restoreState(state)


def fit_people_columns(table: QTableView, width: int) -> None:
    """Give the short columns their title's width and share the rest of ``width`` out."""
    width -= table.verticalScrollBar().sizeHint().width() + 4
    header = table.horizontalHeader()
    metrics = header.fontMetrics()

    def title_width(column: int) -> int:
        return metrics.horizontalAdvance(pm.HEADERS[column]) + 40  # padding, sort arrow

    fixed = {pm.LIVED_EXPERIENCE: title_width(pm.LIVED_EXPERIENCE)}
    fixed[pm.LAST_ATTENDED] = max(
        title_width(pm.LAST_ATTENDED), metrics.horizontalAdvance("2026-12-31") + 24
    )
    rest = max(500, width - sum(fixed.values()))
    for column, share in enumerate(COLUMN_SHARES):
        if column in fixed:
            header.resizeSection(column, fixed[column])
        else:
            header.resizeSection(column, max(title_width(column), int(rest * share)))
