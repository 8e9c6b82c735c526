"""Marsad's exception hierarchy. Messages carry a stable code (`[E101]`) that tests assert."""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of every error Marsad raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class LexiconError(MarsadError):
    """A lexicon data file is malformed (the message names the file, line and fix)."""

    code = "E101"


class InputError(MarsadError):
    """An input record cannot be read (the message names the record and the reason)."""

    code = "E201"


class UsageError(MarsadError):
    """The command line or API was called wrongly."""

    code = "E301"


class ModelError(MarsadError):
    """A trained model file is missing, damaged or of another version (the message names the
    file and the fix: `make model`)."""

    code = "E601"
