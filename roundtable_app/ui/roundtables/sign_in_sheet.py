"""Print a roundtable's sign-in sheet: write the PDF, preview it, print or save it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import reports
from roundtable_app.ui import messages
from roundtable_app.ui.common import preview_pdf
from roundtable_app.ui.context import AppContext


def print_sign_in_sheet(ctx: AppContext, roundtable_id: int, parent: QWidget | None) -> bool:
    """Preview the sheet of ``roundtable_id`` (Print…, Save as…); False if it was not made.

    The sheet lists who is expected as the list stands now. Its PDF is removed when
    the preview closes (see :func:`~roundtable_app.ui.common.preview_pdf`).
    """
    try:
        with ctx.db.reading() as session:
            sheet = reports.load_sign_in_sheet(session, roundtable_id)
    except RoundtableError as exc:
        messages.show_error(parent, "Cannot print the sign-in sheet", str(exc))
        return False
    return preview_pdf(
        parent,
        lambda path: reports.write_sign_in_sheet_pdf(sheet, path),
        sheet.file_name,
        f"Sign-in sheet: {sheet.title}",
        "sign-in sheet",
    )
