"""The Grouping page: choose a pool, run the optimiser, edit the tables, save or print them."""

from roundtable_app.ui.grouping.page import GroupingPage

__all__ = ["GroupingPage"]
