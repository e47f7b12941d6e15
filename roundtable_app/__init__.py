"""Roundtable: plan roundtable discussions on modern slavery evidence.

The package is layered: ``core`` (plain Python), ``storage`` (SQLAlchemy),
``services`` (use cases shared by the GUI and the CLI) and ``ui`` (the only
place that imports Qt).
"""

__version__ = "0.1.0"
APP_NAME = "Roundtable"
APP_ID = "roundtable_app"
