"""Errors of the announcements channel, with stable codes."""

from motcua.core.exceptions import ValidationFailed


class NoRecipients(ValidationFailed):
    """The chosen units and roles reach no officer."""

    code = "announcement_no_recipients"
