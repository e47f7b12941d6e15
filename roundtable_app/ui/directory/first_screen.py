"""The first names of the directory, shown while the database opens.

Laid out like the People page (a filter box, then the table with the same
columns and widths), so that the page can take its place without anything
moving. It needs neither numpy nor the database layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from roundtable_app.core.model import PersonRow
from roundtable_app.ui.directory.people_cells import FirstScreenModel
from roundtable_app.ui.directory.people_table import fit_people_columns, setup_people_table
from roundtable_app.ui.settings import Settings


class FirstScreen(QWidget):
    """A stand-in for the People page holding its first screen of names."""

    def __init__(
        self, rows: Sequence[PersonRow], settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.rows = list(rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)  # as on the page, so nothing moves
        layout.setSpacing(10)
        waiting = QLineEdit(placeholderText="Filter by name, organisation, e-mail or interest")
        waiting.setEnabled(False)  # until the database is open
        self.table = QTableView()
        self.table.setModel(FirstScreenModel(self.rows, self.table))
        self._fit = setup_people_table(self.table, settings)
        layout.addWidget(waiting)
        layout.addWidget(self.table, 1)

    def fit_columns(self, width: int) -> None:
        """Fit the columns to ``width`` when no widths were remembered (the first start)."""
        if self._fit:
            fit_people_columns(self.table, width - 24)  # less the margins
