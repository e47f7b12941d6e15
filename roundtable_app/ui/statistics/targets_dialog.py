"""Target mix…: the share of attendees the centre aims for, sector by sector.

One box per sector, in whole percent; the total shows as it is typed, and OK
stays off until the shares add up to 100%, saying by how much they are off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.statistics import DEFAULT_TARGETS, targets_problem


class TargetMixDialog(QDialog):
    """Edit the target share of each sector."""

    def __init__(
        self,
        sectors: Sequence[str],
        targets: Mapping[str, int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Target mix")
        intro = QLabel(
            "The share of the people attending that the centre aims for, by sector. "
            "The Statistics page and the report compare each sector's share with it."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[str, QSpinBox] = {}
        for name in sectors:
            box = QSpinBox()
            box.setRange(0, 100)
            box.setSuffix(" %")
            box.setValue(int(targets.get(name, 0)))
            box.setAccessibleName(f"Target share of {name}")
            box.valueChanged.connect(self._show_total)
            form.addRow(name, box)
            self.boxes[name] = box
        self.total = QLabel()
        self.total.setObjectName("targetTotal")
        self.problem = QLabel()
        self.problem.setObjectName("targetProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b42318;")
        form.addRow("Total", self.total)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.defaults_button = QPushButton("Restore defaults")
        self.buttons.addButton(self.defaults_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._show_total()

    def targets(self) -> dict[str, int]:
        """The shares as typed."""
        return {name: box.value() for name, box in self.boxes.items()}

    def restore_defaults(self) -> None:
        for name, box in self.boxes.items():
            box.setValue(DEFAULT_TARGETS.get(name, 0))

    def _show_total(self) -> None:
        targets = self.targets()
        self.total.setText(f"{sum(targets.values())} %")
        problem = targets_problem(targets)
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)
        ok.setToolTip(problem or "")
