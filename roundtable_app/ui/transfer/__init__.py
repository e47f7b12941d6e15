"""People in and out: the import dialog (file, columns, preview, report) and the export."""

from roundtable_app.ui.transfer.export import export_people
from roundtable_app.ui.transfer.import_dialog import ImportDialog

__all__ = ["ImportDialog", "export_people"]
