"""Table plans leaving the app: what may be printed about each member, and the CSV.

Privacy (PRODUCT.md): a plan file may be forwarded or left on a table, so a
lived-experience participant is never named in it unless they consented
(``may_be_named``); without consent the row reads "Name withheld" with no
organisation, sector or interests. Nothing printed ever says "lived
experience": a "Lived experience" sector is left blank and left out of the
sector mix (the rules are ``core.privacy``'s). Files are written to a temporary
file in the same folder and moved into place, so a crash or a full disk never
leaves half a file.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from roundtable_app.core.grouping.scoring import Invitee
from roundtable_app.core.grouping.scoring_explain import TableExplanation
from roundtable_app.core.privacy import (
    WITHHELD,
    plan_name,
    reveals_lived_experience,
    withheld_from_plan,
)
from roundtable_app.services.files import guard_cell, write_atomically
from roundtable_app.services.grouping.plans import Plan

CSV_HEADERS = ("Table", "Name", "Organisation", "Sector", "Interests")


@dataclass(frozen=True, slots=True)
class PrintedMember:
    """What an output may show about one member of a table."""

    name: str
    organisation: str
    sector: str
    interests: tuple[str, ...]
    withheld: bool = False


def printable(invitee: Invitee) -> PrintedMember:
    """The member as an output may show them (see the module docstring)."""
    if withheld_from_plan(invitee.lived_experience, invitee.may_be_named):
        return PrintedMember(WITHHELD, "", "", (), withheld=True)
    sector = "" if reveals_lived_experience(invitee.sector) else invitee.sector or ""
    interests = tuple(
        sorted((t for t in invitee.interests if not reveals_lived_experience(t)), key=str.lower)
    )
    name = plan_name(invitee.name, invitee.may_be_named)
    return PrintedMember(name, invitee.organisation or "", sector, interests)


def printed_members(plan: Plan, table: TableExplanation) -> list[PrintedMember]:
    """A table's members for output: named people by name, then any withheld."""
    members = [printable(plan.invitees[i]) for i in table.members]
    return sorted(members, key=lambda m: (m.withheld, m.name.casefold()))


def printed_sector_mix(plan: Plan, table: TableExplanation) -> list[tuple[str, int]]:
    """The sector mix as an output may show it (withheld and blank sectors left out)."""
    counts = Counter(m.sector for m in printed_members(plan, table) if m.sector)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def plan_rows(plan: Plan) -> list[list[str]]:
    """The CSV rows (without the header): one per seated person, table by table."""
    rows: list[list[str]] = []
    for table in plan.explanation.tables:
        for m in printed_members(plan, table):
            rows.append(
                [
                    f"Table {table.number}",
                    guard_cell(m.name),
                    guard_cell(m.organisation),
                    guard_cell(m.sector),
                    guard_cell("; ".join(m.interests)),
                ]
            )
    return rows


def export_plan_csv(plan: Plan, path: str | Path) -> int:
    """Write the plan as CSV (UTF-8 with BOM, for Excel); return the number of people."""
    rows = plan_rows(plan)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_HEADERS)
            writer.writerows(rows)

    write_atomically(path, write, "table plan")
    return len(rows)


def summary_lines(plan: Plan, max_interests: int = 3) -> list[str]:
    """A short plain-text summary per table (no names), for the command line."""
    lines: list[str] = []
    for t in plan.explanation.tables:
        shares = ", ".join(
            f"{name} ({count})" for name, count in t.shared_interests[:max_interests]
        )
        lines.append(
            f"Table {t.number}: {t.size} people, {t.new_pairings} of {t.pairs} pairings new"
            + (f"; shares {shares}" if shares else "")
        )
    return lines
