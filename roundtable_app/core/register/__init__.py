"""The evidence-needs register without SQL or Qt: which needs read alike."""

from roundtable_app.core.register.similarity import (
    DEFAULT_THRESHOLD,
    Unit,
    similar_groups,
    terms,
    warm_up,
)

__all__ = ["DEFAULT_THRESHOLD", "Unit", "similar_groups", "terms", "warm_up"]
