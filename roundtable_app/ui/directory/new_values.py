"""Making a new sector, interest or organisation visible before it exists.

A value typed in the person form that matches nothing would quietly become a
new entry in every list ("GovernmentHome Office" as a sector). The form marks
such a value as it is typed (:func:`new_value_hint`) and, on save, asks once
about all of them in a :class:`NewValuesDialog`, which offers the closest
existing names and picks the nearest one by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.directory import VocabularyKind, closest_names, new_names_text

#: Amber, not red: a new value is allowed, just worth a second look.
NEW_VALUE_STYLE = "color: #8a5a00;"


@dataclass(frozen=True, slots=True)
class NewValue:
    """A typed value that matches no existing entry, and the names it is close to."""

    kind: VocabularyKind
    name: str
    closest: tuple[str, ...] = ()


def find_new(kind: VocabularyKind, name: str, known: list[str]) -> NewValue | None:
    """``name`` as a :class:`NewValue` if it matches none of ``known`` (any case)."""
    key = " ".join(name.split()).lower()
    if not key or key in {k.lower() for k in known}:
        return None
    return NewValue(kind, " ".join(name.split()), tuple(closest_names(name, known)))


def new_value_hint(value: NewValue | None) -> str:
    """Rich text for the line under a field: "New sector — will be created. Use “X”?"."""
    if value is None:
        return ""
    text = f"New {value.kind.value} — will be created."
    if value.closest:
        best = value.closest[0]
        text += f' Did you mean <a href="{escape(best)}">{escape(best)}</a>?'
    return text


def new_value_label() -> QLabel:
    """A hidden line under a field that says its value will be created."""
    label = QLabel()
    label.setObjectName("newValue")
    label.setStyleSheet(NEW_VALUE_STYLE)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.hide()
    return label


class NewValuesDialog(QDialog):
    """Ask once, on save, whether each new value should be created or an existing one used.

    For each value the choices are the closest existing names, then "Create";
    the closest name is chosen by default, so Enter never creates a typo.
    After ``exec()``, :meth:`chosen` maps each value to the name to save.
    """

    def __init__(self, values: list[NewValue], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[NewValue, QButtonGroup, list[str]]] = []
        if len(values) == 1:
            only = values[0]
            question = f"Create the new {only.kind.value} “{only.name}”?"
        else:
            question = f"Create {new_names_text(v.kind for v in values)}?"
        self.setWindowTitle(question)
        heading = QLabel(f"<b>{escape(question)}</b>")
        explain = QLabel(
            "Nothing of that name exists yet. A new name is added to every list and "
            "filter; if it is a typo, use the existing name instead."
        )
        explain.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        for value in values:
            layout.addWidget(self._choices(value))
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button = self.buttons.addButton(
            "Back to the form", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.save_button.setDefault(True)  # once in the dialog, or the first button wins

    def _choices(self, value: NewValue) -> QGroupBox:
        box = QGroupBox(f"{value.kind.label} “{value.name}”")
        column = QVBoxLayout(box)
        group = QButtonGroup(box)
        names = [*value.closest, value.name]
        for i, name in enumerate(names):
            text = (
                f"Use the existing {value.kind.value} “{name}”"
                if i < len(value.closest)
                else f"Create the new {value.kind.value} “{name}”"
            )
            button = QRadioButton(text.replace("&", "&&"))
            group.addButton(button, i)
            column.addWidget(button)
        group.button(0).setChecked(True)
        self._groups.append((value, group, names))
        return box

    def chosen(self) -> dict[tuple[VocabularyKind, str], str]:
        """For each new value (kind, name): the name to save instead, or the name itself."""
        return {
            (value.kind, value.name): names[max(group.checkedId(), 0)]
            for value, group, names in self._groups
        }

    def choose(self, kind: VocabularyKind, name: str, use: str) -> None:
        """Pick ``use`` for the value ``name`` (as a click on its choice would)."""
        for value, group, names in self._groups:
            if (value.kind, value.name) == (kind, name):
                group.button(names.index(use)).setChecked(True)
