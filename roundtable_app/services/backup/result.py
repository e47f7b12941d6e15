"""What a backup returns, whichever database it copied."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BackupResult:
    """A backup just written: where, and how large (bytes)."""

    path: Path
    size: int
