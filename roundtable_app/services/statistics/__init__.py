"""Statistics: what the roundtables achieved, for a period, a series or one roundtable.

:func:`load_history` reads every roundtable that took place once (SQL into
numpy arrays, new connections counted there); :func:`compute` then counts a
scope in milliseconds. The exports (:func:`write_statistics`) and the PDF
report (``services.reports``) print :func:`export_tables`, where the "fewer
than 3" rule of ``core.privacy`` is applied.
"""

from roundtable_app.services.statistics.exporting import (
    FORMATS,
    write_statistics,
    write_statistics_csv,
    write_statistics_xlsx,
)
from roundtable_app.services.statistics.figures import (
    SEVERAL,
    Bucket,
    Counts,
    Figures,
    Reach,
    RoundtableChoice,
    RoundtableFigures,
    Scope,
    SectorCounts,
    compute,
    date_range,
    day_text,
    roundtable_choices,
    scope_label,
)
from roundtable_app.services.statistics.history import NO_SECTOR, History, load_history
from roundtable_app.services.statistics.palette import (
    CONNECTIONS_COLOUR,
    CUMULATIVE_COLOUR,
    OTHER_COLOUR,
    TARGET_COLOUR,
    sector_colour,
)
from roundtable_app.services.statistics.reach import (
    DRIFT_MONTHS,
    DriftedPerson,
    PersonBrief,
    drifted,
    interests,
    people_briefs,
)
from roundtable_app.services.statistics.tables import (
    NOT_RECORDED,
    PROTECTION_NOTE,
    Cell,
    ExportTable,
    Percent,
    cell_text,
    export_tables,
    generated_line,
)
from roundtable_app.services.statistics.targets import (
    DEFAULT_TARGETS,
    format_targets,
    parse_targets,
    targets_problem,
)

__all__ = [
    "CONNECTIONS_COLOUR",
    "CUMULATIVE_COLOUR",
    "OTHER_COLOUR",
    "TARGET_COLOUR",
    "DEFAULT_TARGETS",
    "DRIFT_MONTHS",
    "FORMATS",
    "NOT_RECORDED",
    "NO_SECTOR",
    "PROTECTION_NOTE",
    "SEVERAL",
    "Bucket",
    "Cell",
    "Counts",
    "DriftedPerson",
    "ExportTable",
    "Figures",
    "History",
    "Percent",
    "PersonBrief",
    "Reach",
    "RoundtableChoice",
    "RoundtableFigures",
    "Scope",
    "SectorCounts",
    "cell_text",
    "compute",
    "date_range",
    "day_text",
    "drifted",
    "export_tables",
    "format_targets",
    "generated_line",
    "interests",
    "load_history",
    "parse_targets",
    "people_briefs",
    "roundtable_choices",
    "scope_label",
    "sector_colour",
    "targets_problem",
    "write_statistics",
    "write_statistics_csv",
    "write_statistics_xlsx",
]
