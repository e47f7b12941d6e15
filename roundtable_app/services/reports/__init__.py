"""Printed reports (PDF): one set of styles and page templates, and each report built on them."""

from roundtable_app.services.reports.table_plan import write_table_plan_pdf

__all__ = ["write_table_plan_pdf"]
