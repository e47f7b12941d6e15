"""Backups in the window: File > Back up now…, File > Restore from backup…, the daily copy."""

from roundtable_app.ui.backup.backup_dialog import BackupDialog
from roundtable_app.ui.backup.daily import start_daily_backup
from roundtable_app.ui.backup.restore_dialog import RestoreDialog
from roundtable_app.ui.backup.restore_flow import restore_in_window

__all__ = ["BackupDialog", "RestoreDialog", "restore_in_window", "start_daily_backup"]
