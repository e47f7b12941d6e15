"""The Statistics page: what the roundtables achieved, with charts, exports and the target mix."""

from roundtable_app.ui.statistics.page import StatisticsPage
from roundtable_app.ui.statistics.targets_dialog import TargetMixDialog

__all__ = ["StatisticsPage", "TargetMixDialog"]
