"""Every user setting, declared once with its key, type and default.

Code reads and writes settings through :class:`Settings` accessors, never
through raw ``QSettings`` calls, so a key is spelled in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget

from roundtable_app import APP_ID, APP_NAME

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T


MAIN_WINDOW_GEOMETRY = Setting("window/main_geometry", QByteArray, QByteArray())
MAIN_WINDOW_STATE = Setting("window/main_state", QByteArray, QByteArray())
DIRECTORY_HEADER_STATE = Setting("directory/header_state", QByteArray, QByteArray())
LAST_PAGE = Setting("window/last_page", str, "directory")
LAST_IMPORT_FOLDER = Setting("import/last_folder", str, "")
LAST_EXPORT_FOLDER = Setting("export/last_folder", str, "")
IMPORT_ON_DUPLICATE = Setting("import/on_duplicate", str, "merge")
DEFAULT_TIME_ZONE = Setting("schedule/default_time_zone", str, "Europe/London")
PERSON_DIALOG_GEOMETRY = Setting("dialogs/person_geometry", QByteArray, QByteArray())
IMPORT_DIALOG_GEOMETRY = Setting("dialogs/import_geometry", QByteArray, QByteArray())
ROUNDTABLE_DIALOG_GEOMETRY = Setting("dialogs/roundtable_geometry", QByteArray, QByteArray())
ADD_INVITEES_DIALOG_GEOMETRY = Setting("dialogs/add_invitees_geometry", QByteArray, QByteArray())
ROUNDTABLES_SPLITTER_STATE = Setting("roundtables/splitter_state", QByteArray, QByteArray())
# Sending invitations and the calendar view (issue 4).
ORGANISER_NAME = Setting("invitations/organiser_name", str, "")
ORGANISER_EMAIL = Setting("invitations/organiser_email", str, "")
SEND_MODE = Setting("invitations/mode", str, "ics")
LAST_ICS_FOLDER = Setting("invitations/last_ics_folder", str, "")
LAST_EML_FOLDER = Setting("invitations/last_eml_folder", str, "")
SMTP_HOST = Setting("smtp/host", str, "")
SMTP_PORT = Setting("smtp/port", int, 587)
SMTP_SECURITY = Setting("smtp/security", str, "starttls")
SMTP_USER = Setting("smtp/user", str, "")
LAST_REPLIES_FOLDER = Setting("replies/last_folder", str, "")
CALENDAR_VIEW = Setting("calendar/view", str, "month")
SEND_DIALOG_GEOMETRY = Setting("dialogs/send_geometry", QByteArray, QByteArray())
ATTENDANCE_WINDOW_GEOMETRY = Setting("windows/attendance_geometry", QByteArray, QByteArray())
#: The windows of a team member's role (ui/team): the check-in station, read-only statistics.
CHECK_IN_STATION_GEOMETRY = Setting("windows/check_in_station_geometry", QByteArray, QByteArray())
READ_ONLY_WINDOW_GEOMETRY = Setting("windows/read_only_geometry", QByteArray, QByteArray())
#: The read-only window's tab last shown: "statistics" or "summaries".
READ_ONLY_TAB = Setting("windows/read_only_tab", str, "statistics")
# The Statistics page (issue 11): the share of attendees aimed for per sector (JSON,
# empty: the defaults), and the period last chosen.
STATISTICS_TARGET_MIX = Setting("statistics/target_mix", str, "")
STATISTICS_PERIOD = Setting("statistics/period", str, "all")
#: The centre's name and logo (a PNG or JPEG file) at the top of a printed summary.
CENTRE_NAME = Setting("summary/centre_name", str, "")
CENTRE_LOGO = Setting("summary/centre_logo", str, "")
# The Discussion window (issue 12).
DISCUSSION_WINDOW_GEOMETRY = Setting("windows/discussion_geometry", QByteArray, QByteArray())
# The evidence-needs register page (issue 12).
REGISTER_HEADER_STATE = Setting("register/header_state", QByteArray, QByteArray())
REGISTER_SPLITTER_STATE = Setting("register/splitter_state", QByteArray, QByteArray())
REGISTER_LOWER_SPLITTER_STATE = Setting("register/lower_splitter_state", QByteArray, QByteArray())
REGISTER_FILTERS = Setting("register/filters", str, "")
#: How many copies of the database its backups folder keeps (issue 13; the services' default).
BACKUP_KEEP = Setting("backup/keep", int, 14)
#: The staff member's name in the audit trail (issue 13; empty: the login name).
STAFF_NAME = Setting("audit/staff_name", str, "")
AUDIT_WINDOW_GEOMETRY = Setting("windows/audit_geometry", QByteArray, QByteArray())
AUDIT_HEADER_STATE = Setting("audit/header_state", QByteArray, QByteArray())
HISTORY_DIALOG_GEOMETRY = Setting("dialogs/history_geometry", QByteArray, QByteArray())
RETENTION_DIALOG_GEOMETRY = Setting("dialogs/retention_geometry", QByteArray, QByteArray())


class Settings:
    """Typed access to the app's settings (stored by Qt per platform)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        # QSettings() follows the application's names and the default format, so a
        # test that points the default format at a temporary folder catches every write.
        self._q = qsettings or (
            QSettings() if QCoreApplication.organizationName() else QSettings(APP_NAME, APP_ID)
        )

    def get(self, setting: Setting[T]) -> T:
        value: Any = self._q.value(setting.key, setting.default)
        if value is None:
            return setting.default
        if setting.type is bool and isinstance(value, str):
            return value.lower() == "true"  # type: ignore[return-value]
        if not isinstance(value, setting.type):
            try:
                return setting.type(value)  # type: ignore[call-arg]
            except (TypeError, ValueError):
                return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        self._q.setValue(setting.key, value)

    def sync(self) -> None:
        self._q.sync()


def restore_geometry(
    widget: QWidget, settings: Settings, setting: Setting[QByteArray], size: tuple[int, int]
) -> None:
    """Put a window where the user left it; first time (or if that fails) give it ``size``."""
    geometry = settings.get(setting)
    if geometry.isEmpty() or not widget.restoreGeometry(geometry):
        widget.resize(*size)
