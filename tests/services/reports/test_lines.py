"""Plain text drawn line by line (long reports): the same letters as a paragraph, any script."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader

from roundtable_app.services.reports import text_block, write_blocks, write_report_pdf
from roundtable_app.services.reports.lines import _Lines

TEXTS = [
    "Costs (per officer) & savings: 50% \\ back-slash <tag>",  # PDF escapes, no markup
    "Costs (per officer) & savings: 50% \\ back-slash <tag>",  # again: the quick path
    "Zoë Øyvind and Łukasz: straße",
    "Дмитрий Иванов asked about 王芳",
    "سارة أحمد",
]


def test_every_block_prints_its_words_whatever_the_path(tmp_path: Path) -> None:
    out = tmp_path / "lines.pdf"
    blocks = [text_block(t, "small") for t in TEXTS * 4]
    assert isinstance(blocks[0], _Lines) and not isinstance(blocks[4], _Lines)

    def story(width: float) -> list:  # type: ignore[type-arg]
        from reportlab.platypus import Flowable

        class Stack(Flowable):
            def wrap(self, w: float, h: float) -> tuple[float, float]:
                self.heights = [b.wrap(w, h)[1] for b in blocks]
                return w, sum(self.heights)

            def draw(self) -> None:
                y, placed = sum(self.heights), []
                for block, height in zip(blocks, self.heights, strict=True):
                    y -= height
                    placed.append((block, 0.0, y))
                write_blocks(self.canv, placed)

        return [Stack()]

    write_report_pdf(out, story, title="Lines", footer="Lines", what="test")
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    for expected in TEXTS[1:4]:
        count = 8 if expected == TEXTS[0] else 4
        assert text.count(" ".join(expected.split())) == count, expected
    assert "أحمد" in unicodedata.normalize("NFKC", text)  # shaped: presentation forms
