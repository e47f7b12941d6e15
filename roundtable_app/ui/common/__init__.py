"""What every page builds on: undoable commands, table models, empty states, forms, PDF
preview, and what Escape does in filter boxes and forms.

Names load on first use (PEP 562): the main window needs only
:class:`EmptyState` before it first paints, and importing the rest up front
(table models, Qt PDF, print support) would add about 0.1 s to the cold start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roundtable_app.ui.common.commands import ServiceCommand
    from roundtable_app.ui.common.elided_label import ElidedLabel
    from roundtable_app.ui.common.empty_state import EmptyState
    from roundtable_app.ui.common.escape import asks_before_discarding, filter_box
    from roundtable_app.ui.common.forms import editable_combo, error_label, time_zones
    from roundtable_app.ui.common.interest_picker import InterestPicker
    from roundtable_app.ui.common.list_table import style_list_table
    from roundtable_app.ui.common.pdf_preview import PdfPreviewDialog, preview_pdf
    from roundtable_app.ui.common.table_model import LEFT, Index, ReadOnlyTableModel

_MODULE_OF = {
    "ServiceCommand": "commands",
    "ElidedLabel": "elided_label",
    "EmptyState": "empty_state",
    "asks_before_discarding": "escape",
    "filter_box": "escape",
    "editable_combo": "forms",
    "error_label": "forms",
    "time_zones": "forms",
    "InterestPicker": "interest_picker",
    "style_list_table": "list_table",
    "PdfPreviewDialog": "pdf_preview",
    "preview_pdf": "pdf_preview",
    "LEFT": "table_model",
    "Index": "table_model",
    "ReadOnlyTableModel": "table_model",
}

__all__ = [
    "LEFT",
    "ElidedLabel",
    "EmptyState",
    "Index",
    "InterestPicker",
    "PdfPreviewDialog",
    "ReadOnlyTableModel",
    "ServiceCommand",
    "asks_before_discarding",
    "editable_combo",
    "error_label",
    "filter_box",
    "preview_pdf",
    "style_list_table",
    "time_zones",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value
