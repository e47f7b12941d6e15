"""Seating a pool of people at tables: plans, their saved rules, and what may be printed.

A plan is plain data the grouping page can show and edit; it reaches the
database only when saved with its locks and keep-together / keep-apart rules.
"""

from roundtable_app.services.grouping.output import (
    WITHHELD,
    PrintedMember,
    export_plan_csv,
    printable,
    printed_members,
    printed_sector_mix,
    summary_lines,
)
from roundtable_app.services.grouping.plans import (
    Plan,
    PlanExplanation,
    Pool,
    load_pool,
    load_saved_plan,
    plan_from_tables,
    plan_groups,
    pool_from_people,
    save_plan,
)
from roundtable_app.services.grouping.rules import SavedRules, load_rules, save_rules
from roundtable_app.services.grouping.saved import (
    Arrangement,
    fit_arrangement,
    fit_to_pool,
    load_arrangement,
    replan,
    save_arrangement,
    saved_plan_at,
)

__all__ = [
    "Arrangement",
    "WITHHELD",
    "Plan",
    "PlanExplanation",
    "Pool",
    "PrintedMember",
    "SavedRules",
    "export_plan_csv",
    "fit_arrangement",
    "fit_to_pool",
    "load_arrangement",
    "load_pool",
    "load_rules",
    "load_saved_plan",
    "plan_from_tables",
    "plan_groups",
    "pool_from_people",
    "printable",
    "printed_members",
    "printed_sector_mix",
    "replan",
    "save_arrangement",
    "save_plan",
    "save_rules",
    "saved_plan_at",
    "summary_lines",
]
