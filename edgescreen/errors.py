"""Exceptions the library raises for problems a user can fix; the CLI turns them into exit code 2."""


class EdgescreenError(Exception):
    """A problem with the user's input or options, with a message fit to show as it is."""


class InputError(EdgescreenError):
    """An input file cannot be read as a survey (unreadable, encrypted, no header, a column missing)."""


class RulesError(EdgescreenError):
    """A rules file does not validate."""


class OutputError(EdgescreenError):
    """The output folder cannot be written as asked."""
