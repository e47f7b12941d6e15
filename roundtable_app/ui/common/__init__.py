"""What every page builds on: undoable commands, table models, empty states, forms, PDF
preview, file dialogs that never open the files they list, and what Escape does in
filter boxes and forms.

Names load on first use (PEP 562): the main window needs only
:class:`EmptyState` before it first paints, and importing the rest up front
(table models, Qt PDF, print support) would add about 0.1 s to the cold start.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roundtable_app.ui.common.commands import ServiceCommand
    from roundtable_app.ui.common.elided_label import ElidedLabel
    from roundtable_app.ui.common.empty_state import EmptyState
    from roundtable_app.ui.common.escape import asks_before_discarding, filter_box
    from roundtable_app.ui.common.export import export_folder, write_export
    from roundtable_app.ui.common.file_dialogs import (
        existing_directory,
        open_file_name,
        open_file_names,
        path_completer,
        save_file_name,
    )
    from roundtable_app.ui.common.forms import editable_combo, error_label, time_zones
    from roundtable_app.ui.common.interest_picker import InterestPicker
    from roundtable_app.ui.common.list_table import style_list_table
    from roundtable_app.ui.common.pdf_preview import OtherFormat, PdfPreviewDialog, preview_pdf
    from roundtable_app.ui.common.table_model import LEFT, Index, ReadOnlyTableModel

_MODULE_OF = {
    "ServiceCommand": "commands",
    "ElidedLabel": "elided_label",
    "EmptyState": "empty_state",
    "asks_before_discarding": "escape",
    "filter_box": "escape",
    "export_folder": "export",
    "write_export": "export",
    "existing_directory": "file_dialogs",
    "open_file_name": "file_dialogs",
    "open_file_names": "file_dialogs",
    "path_completer": "file_dialogs",
    "save_file_name": "file_dialogs",
    "editable_combo": "forms",
    "error_label": "forms",
    "time_zones": "forms",
    "InterestPicker": "interest_picker",
    "style_list_table": "list_table",
    "OtherFormat": "pdf_preview",
    "PdfPreviewDialog": "pdf_preview",
    "preview_pdf": "pdf_preview",
    "LEFT": "table_model",
    "Index": "table_model",
    "ReadOnlyTableModel": "table_model",
}

__all__ = [
    "LEFT",
    "OtherFormat",
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
    "existing_directory",
    "export_folder",
    "filter_box",
    "lazy_names",
    "open_file_name",
    "open_file_names",
    "path_completer",
    "preview_pdf",
    "save_file_name",
    "style_list_table",
    "time_zones",
    "write_export",
]


def lazy_names(package: str, module_of: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's ``__getattr__`` (PEP 562) that imports a name's module on first use.

    ``module_of`` maps each name the package offers to the module (inside
    ``package``) that defines it; once found, the name is an ordinary attribute.
    """

    def getattr_(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return getattr_


__getattr__ = lazy_names(__name__, _MODULE_OF)
