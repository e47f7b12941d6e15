"""The hand-counted history (see hand_counted.py) for the statistics tests."""

from tests.services.statistics.hand_counted import history_db

__all__ = ["history_db"]
