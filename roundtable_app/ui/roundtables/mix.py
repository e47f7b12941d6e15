"""The invitee list's balance at a glance: sector chips, lived experience, new pairs, warnings."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from roundtable_app.services.roundtables import Mix

CHIP = (
    "<span style='background-color:{bg}; color:#23313c;'>&nbsp;{name}&nbsp;"
    "<b>{count}</b>&nbsp;</span>"
)
_CHIP_COLOURS = ("#e4edf5", "#e6f0e8", "#f2ece0", "#ece6f2", "#e0eef0", "#f3e6e6")


class MixSummary(QWidget):
    """Three compact lines above the invitee list, refreshed with :meth:`show_mix`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setObjectName("mixHeadline")
        self.headline.setWordWrap(True)  # never widens the window
        self.sectors = QLabel()
        self.sectors.setObjectName("mixSectors")
        self.sectors.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("mixWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a5a00;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.headline)
        layout.addWidget(self.sectors)
        layout.addWidget(self.warnings)
        self.show_mix(None)

    def show_mix(self, mix: Mix | None) -> None:
        """Show ``mix`` (None: nothing selected)."""
        if mix is None or mix.invited == 0:
            self.headline.setText("No invitees yet." if mix is not None else "")
            self.sectors.setText(
                "Add people from the directory, by interest, or from the suggestions."
                if mix is not None
                else ""
            )
            self.sectors.setStyleSheet("color: #5f6b76;")
            self.warnings.hide()
            return
        self.sectors.setStyleSheet("")
        # The same counts as the list's "Invited / accepted" column.
        replies = [f"{mix.accepted} accepted"]
        if mix.declined:
            replies.append(f"{mix.declined} declined")
        places = f" for {mix.capacity} places" if mix.capacity else ""
        lived = (
            f"lived experience represented ({mix.lived_experience})"
            if mix.lived_experience
            else "lived experience not represented"
        )
        new_pairs = (
            f"{mix.new_pairs} of {mix.pairs} pairs have never met" if mix.pairs else "no pairs yet"
        )
        mix_of = f" · of the {mix.expected} not declined:" if mix.declined else " ·"
        self.headline.setText(
            f"<b>{mix.invited} invited</b>{escape(places)} · {', '.join(replies)}"
            f"{escape(mix_of)} {len(mix.sectors)} sector{'' if len(mix.sectors) == 1 else 's'} · "
            f"{escape(lived)} · {escape(new_pairs)}"
        )
        chips = [
            CHIP.format(bg=_CHIP_COLOURS[i % len(_CHIP_COLOURS)], name=escape(name), count=count)
            for i, (name, count) in enumerate(mix.sectors.items())
        ]
        self.sectors.setText("&nbsp; ".join(chips))
        warnings = mix.warnings
        self.warnings.setText("⚠ " + "  ⚠ ".join(warnings) if warnings else "")
        self.warnings.setVisible(bool(warnings))
