"""Errors of the citizen-care letters, with stable codes."""

from motcua.core.exceptions import ValidationFailed


class InvalidPlaceholder(ValidationFailed):
    """A template uses a placeholder that does not exist, or unpaired braces."""

    code = "letter_invalid_placeholder"
