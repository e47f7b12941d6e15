"""What a summary says in words, the same in the PDF and in the .docx.

The two writers lay out one :class:`~roundtable_app.services.discussion.SummaryContent`
(where the privacy rules were applied); the sentences, headings, file name and
document properties they share are decided here, so that the PDF and the Word
file never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roundtable_app.services.discussion import Item, SummaryContent

REPORT = "Roundtable summary"
CHATHAM_HOUSE_HEADING = "Held under the Chatham House Rule"
LANGUAGE = "en-GB"

PURPOSE = "Purpose and evidence questions"
TOOK_PART = "Who took part"
DISCUSSED = "What was discussed"
CHALLENGES = "Shared challenges"
NEEDS = "Evidence needs"
ACTIONS = "Actions"
POINTS = "Key points"
PARTICIPANTS = "Participants who agreed to be named"

NOTHING_DISCUSSED = "No notes of the discussion have been recorded yet."
NO_NEED_FOR_QUESTION = "No evidence need was recorded against this question."
NOBODY_NAMED = "None of the participants asked to be named."


@dataclass(frozen=True, slots=True)
class Branding:
    """The centre's name and logo (a PNG or JPEG file) from the settings; both optional."""

    centre_name: str = ""
    logo: Path | None = None


def file_name(content: SummaryContent, suffix: str = ".pdf") -> str:
    """ "<title> - summary.pdf": what Save as… offers."""
    safe = "".join(c if c.isalnum() or c in " -_" else "" for c in content.title).strip()
    return f"{safe or 'Roundtable'} - summary{suffix}"


def kicker(content: SummaryContent, branding: Branding) -> str:
    """The line above the title: the centre's name and what the document is."""
    return " · ".join(x for x in (branding.centre_name.strip(), REPORT) if x)


def state_text(content: SummaryContent) -> str:
    """ "Draft, revision 2" or "Final, revision 1"."""
    return f"{'Draft' if content.draft else 'Final'}, revision {content.revision}"


def facts(content: SummaryContent) -> list[str]:
    """The title block's lines under the title: when, how and where, series, themes."""
    how = " · ".join(x for x in (content.format_text, content.venue.strip()) if x)
    lines = [content.date_text, how]
    if content.series:
        lines.append(f"Series: {content.series}")
    if content.themes:
        lines.append(f"Themes: {', '.join(content.themes)}")
    lines.append(state_text(content))
    return [line for line in lines if line]


def subject(content: SummaryContent) -> str:
    return (
        "Summary of a roundtable discussion held under the Chatham House Rule: shared "
        "challenges, evidence needs and actions"
    )


def keywords(content: SummaryContent) -> list[str]:
    return [*content.themes, "evidence needs", "Chatham House Rule", "modern slavery"]


def running_header(content: SummaryContent) -> str:
    draft = " · Draft" if content.draft else ""
    return f"{content.title} · {REPORT} · {CHATHAM_HOUSE_HEADING}{draft}"


def took_part_sentence(content: SummaryContent) -> str:
    count = content.took_part
    if isinstance(count, int):
        people = f"{count} {'person' if count == 1 else 'people'}"
        return f"{people} took part in the discussion."
    return f"{str(count).capitalize()} people took part in the discussion."


def lived_experience_sentence(content: SummaryContent) -> str:
    count = content.lived_experience
    if count == 0:
        return "No participant took part as a person with lived experience of modern slavery."
    return f"Participants with lived experience of modern slavery: {count}."


def connections_sentence(content: SummaryContent) -> str:
    n = content.new_connections
    if n == 0:
        return "No new connections: everyone at each table had met at an earlier roundtable."
    pairs = "pair" if n == 1 else "pairs"
    return f"New connections: {n} {pairs} of participants met at a table for the first time."


def sector_count_text(count: int | str) -> str:
    return str(count)


def detail_line(item: Item) -> str:
    """ "High priority · Prevalence and scale · Raised by Government at Table 2"."""
    credit = item.attribution[:1].upper() + item.attribution[1:]
    return " · ".join(x for x in (*item.details, credit) if x)


def has_purpose(content: SummaryContent) -> bool:
    return bool(content.purpose.strip() or content.questions)
