"""Printed reports (PDF): one set of fonts, styles and page templates; each report on them.

Every report builds its pages from the shared styles (``para``, ``report_header``,
``STYLES`` and the colours) and writes them with ``write_report_pdf``, so each one embeds
the shipped fonts and prints a name in any script as it is written.
"""

from roundtable_app.services.reports.attendance_report import write_attendance_report_pdf
from roundtable_app.services.reports.fonts import (
    BOLD,
    ITALIC,
    REGULAR,
    font_runs,
    markup,
    register_fonts,
)
from roundtable_app.services.reports.lines import text_block, write_blocks
from roundtable_app.services.reports.sign_in_sheet import (
    SheetLine,
    SignInSheet,
    load_sign_in_sheet,
    printed_name,
    write_sign_in_sheet_pdf,
)
from roundtable_app.services.reports.styles import (
    ACCENT,
    BAND,
    FAINT,
    INK,
    MARGIN,
    MUTED,
    RULE,
    STYLES,
    PdfFinish,
    bookmark,
    footer_text,
    para,
    quick_para,
    report_header,
    table_style,
    write_report_pdf,
)
from roundtable_app.services.reports.summary_docx import write_summary_docx
from roundtable_app.services.reports.summary_pdf import write_summary_pdf
from roundtable_app.services.reports.summary_words import Branding
from roundtable_app.services.reports.summary_words import file_name as summary_file_name
from roundtable_app.services.reports.table_plan import write_table_plan_pdf

__all__ = [
    "ACCENT",
    "BAND",
    "BOLD",
    "Branding",
    "PdfFinish",
    "FAINT",
    "INK",
    "ITALIC",
    "MARGIN",
    "MUTED",
    "REGULAR",
    "RULE",
    "STYLES",
    "SheetLine",
    "SignInSheet",
    "font_runs",
    "footer_text",
    "markup",
    "para",
    "quick_para",
    "printed_name",
    "register_fonts",
    "report_header",
    "load_sign_in_sheet",
    "bookmark",
    "summary_file_name",
    "table_style",
    "text_block",
    "write_blocks",
    "write_attendance_report_pdf",
    "write_report_pdf",
    "write_sign_in_sheet_pdf",
    "write_summary_docx",
    "write_summary_pdf",
    "write_table_plan_pdf",
]
