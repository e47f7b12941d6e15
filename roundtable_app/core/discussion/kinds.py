"""What a discussion note can be: its kind, the evidence it asks for, its statuses."""

from __future__ import annotations

import enum


class NoteKind(enum.StrEnum):
    """The four sections of a table's notes, in the order the view shows them."""

    CHALLENGE = "challenge"
    NEED = "need"
    ACTION = "action"
    POINT = "point"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    NoteKind.CHALLENGE: "Shared challenges",
    NoteKind.NEED: "Evidence needs",
    NoteKind.ACTION: "Actions",
    NoteKind.POINT: "Key points",
}


class EvidenceKind(enum.StrEnum):
    """The kind of evidence an evidence need asks for."""

    PREVALENCE = "prevalence"
    EVALUATION = "evaluation"
    LIVED_EXPERIENCE = "lived_experience"
    COST = "cost"
    LEGAL_POLICY = "legal_policy"
    DATA = "data"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _EVIDENCE_LABELS[self]


_EVIDENCE_LABELS = {
    EvidenceKind.PREVALENCE: "Prevalence and scale",
    EvidenceKind.EVALUATION: "What works (evaluation)",
    EvidenceKind.LIVED_EXPERIENCE: "Lived-experience insight",
    EvidenceKind.COST: "Cost",
    EvidenceKind.LEGAL_POLICY: "Legal or policy analysis",
    EvidenceKind.DATA: "Data and infrastructure",
    EvidenceKind.OTHER: "Other",
}


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"open": "Open", "in_progress": "In progress", "done": "Done"}[self.value]


class NeedStatus(enum.StrEnum):
    """Where the centre's research on an evidence need stands (the register)."""

    OPEN = "open"
    RESEARCHING = "researching"
    ANSWERED = "answered"

    @property
    def label(self) -> str:
        return {"open": "Open", "researching": "Being researched", "answered": "Answered"}[
            self.value
        ]


class SummaryState(enum.StrEnum):
    """A roundtable's summary: a draft being written, or a final (locked) revision."""

    DRAFT = "draft"
    FINAL = "final"


def evidence_questions(text: str) -> list[str]:
    """A roundtable's evidence questions, one per non-blank line, list markers removed.

    Questions are numbered from 1 in this order; a need records the number it answers.
    """
    questions = []
    for line in text.splitlines():
        stripped = line.strip().lstrip("-*•·").strip()
        if stripped[:1].isdigit():
            head, _, rest = stripped.partition(" ")
            if head.rstrip(".)").isdigit():
                stripped = rest.strip()
        if stripped:
            questions.append(stripped)
    return questions


def bulleted_lines(text: str) -> list[str]:
    """The items of a pasted list: one per non-blank line, bullets and numbers removed."""
    return evidence_questions(text)
