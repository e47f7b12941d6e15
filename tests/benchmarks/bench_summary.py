"""Benchmark: writing a roundtable's summary (issue 12, budgets).

Budgets: a summary of 200 notes (about 10 pages) as a PDF in at most 0.5 s; a
summary of about 50 pages as a PDF in at most 1 s and as a .docx in at most 1 s.
Wall and CPU time are both reported (the machine may be shared).

Not run by pytest. Run: ``python tests/benchmarks/bench_summary.py``.
"""

from __future__ import annotations

import statistics as stats
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

from pypdf import PdfReader  # noqa: E402

from roundtable_app.core.discussion import SummaryState  # noqa: E402
from roundtable_app.services import reports  # noqa: E402
from roundtable_app.services.discussion import (  # noqa: E402
    Item,
    QuestionBlock,
    SectorCount,
    SummaryContent,
    ThemeBlock,
)

BUDGETS = {("200 notes", ".pdf"): 0.5, ("50 pages", ".pdf"): 1.0, ("50 pages", ".docx"): 1.0}
THEMES = [f"Theme {i}: forced labour in supply chains" for i in range(8)]


def content(notes: int) -> SummaryContent:
    def item(i: int) -> Item:
        text = (
            f"Need {i}: how many people in forced labour go unidentified in sector {i % 13}, "
            "and which data held by public bodies could show it?"
        )
        return Item(text, f"raised by Government at Table {i % 6 + 1}", ("High priority", "Cost"))

    quarter = notes // 4
    needs = [item(i) for i in range(quarter * 2)]
    return SummaryContent(
        title="Forced labour in supply chains: closing the gaps",
        date_text="Wednesday 10 March 2027, 10:00–12:00 (Europe/London time)",
        format_text="In person",
        venue="The Meeting House",
        series="Supply chains",
        themes=tuple(THEMES[:2]),
        purpose="To agree the evidence most needed.",
        questions=tuple(
            QuestionBlock(q, f"Question {q}?", tuple(needs[q::9][:5])) for q in (1, 2, 3)
        ),
        took_part=40,
        sectors=(
            SectorCount("Government", 12),
            SectorCount("Academic research", 9),
            SectorCount("Other sectors", 19),
        ),  # fmt: skip
        lived_experience="fewer than 3",
        new_connections=55,
        participants=tuple((f"Person {i}", f"Organisation {i}") for i in range(30)),
        challenges=tuple(item(i) for i in range(quarter)),
        needs_by_theme=tuple(
            ThemeBlock(t, tuple(needs[j :: len(THEMES)])) for j, t in enumerate(THEMES)
        ),
        actions=tuple(item(i) for i in range(quarter // 2)),
        points=tuple(item(i) for i in range(quarter // 2)),
        state=SummaryState.DRAFT,
        revision=1,
        threshold=3,
    )


def measure(summary: SummaryContent, suffix: str, folder: Path) -> tuple[float, float, int]:
    write = reports.write_summary_pdf if suffix == ".pdf" else reports.write_summary_docx
    path = folder / f"s{suffix}"
    write(summary, path)  # fonts registered, caches warm: as the app's second summary
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        write(summary, path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    pages = len(PdfReader(path).pages) if suffix == ".pdf" else 0
    return stats.median(walls), stats.median(cpus), pages


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for (label, suffix), budget in BUDGETS.items():
            notes = 200 if label == "200 notes" else 1000
            summary = replace(content(notes), state=SummaryState.DRAFT)
            wall, cpu, pages = measure(summary, suffix, folder)
            shown = f", {pages} pages" if pages else ""
            ok = wall <= budget
            failed |= not ok
            print(
                f"{label} ({notes} notes{shown}) {suffix}: {wall * 1000:.0f} ms wall, "
                f"{cpu * 1000:.0f} ms CPU (budget {budget * 1000:.0f} ms) "
                f"{'OK' if ok else 'OVER'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
