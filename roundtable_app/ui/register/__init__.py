"""The Evidence needs page: the register of every need raised across roundtables."""

from roundtable_app.ui.register.page import RegisterPage

__all__ = ["RegisterPage"]
