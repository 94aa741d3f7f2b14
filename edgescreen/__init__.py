"""edgescreen: screen survey workbooks for 贫困边缘户 (poverty-edge households).

    from edgescreen import screen, write_outputs
    result = screen(["survey.xlsx"], rules="changchun-2019")
    write_outputs(result, "out/")

The package's rooms: the core (read → normalise → compute → check → classify, the rules and the
message catalogue) in the modules at this level; outputs/ for everything written; runtime.py for the
speed machinery; jobs.py for the jobs behind the commands; cli/ for the command line."""

def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("edgescreen")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "0.0.0+checkout"


def __getattr__(name: str):
    """Everything here is imported on first use: the library API loads pandas, the errors pydantic,
    the version importlib.metadata; the command line imports this package first and wants its signal
    handling in place, and reading started, before any of that loads."""
    if name == "__version__":
        globals()["__version__"] = value = _version()
        return value
    if name in ("EdgescreenError", "InputError", "OutputError", "RulesError"):
        from . import errors
        return getattr(errors, name)
    if name == "screen":
        from .pipeline import screen
        return screen
    if name == "Result":
        from .result import Result
        return Result
    if name == "load_rules":
        from .rules import load_rules
        return load_rules
    if name == "write_outputs":
        from .outputs.write import write_outputs
        return write_outputs
    if name in _ROOMS:  # edgescreen.jobs, edgescreen.register … after a plain `import edgescreen`
        from importlib import import_module
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The modules a notebook reaches for by attribute (help(edgescreen.jobs), tab completion).
_ROOMS = ("jobs", "explain", "register", "spotcheck", "outputs", "rules", "rosters", "members", "catalogue")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_ROOMS})


__all__ = ["screen", "Result", "load_rules", "write_outputs", "EdgescreenError", "InputError", "OutputError",
           "RulesError", "__version__"]
