"""Settings that hold for the whole team, kept in the database rather than per user.

A rule such as how long people are kept (issue 13, retention) must be the same
for the window and the command line and for every member of staff, so it lives
here, one row per key, its value as text.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from roundtable_app.storage.base import Base, UTCDateTime, utcnow


class TeamSetting(Base):
    __tablename__ = "team_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
