"""Pieces every form uses: a searchable editable combo, an error line, the time zones."""

from __future__ import annotations

import zoneinfo
from functools import cache

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel


@cache
def time_zones() -> list[str]:
    """Every IANA time zone name, sorted (read once: listing them scans the disk)."""
    return sorted(zoneinfo.available_timezones())


def editable_combo(items: list[str], placeholder: str) -> QComboBox:
    """A combo that takes typed text, completing from ``items`` (matching anywhere, any case)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setModel(QStringListModel(["", *items], combo))
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(placeholder)
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.setCurrentIndex(0)
    return combo


def error_label() -> QLabel:
    """A hidden line under a field that says what is wrong with it (styled as ``fieldError``)."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label
