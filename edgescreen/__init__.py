"""edgescreen: screen survey workbooks for 贫困边缘户 (poverty-edge households).

    from edgescreen import screen, write_outputs
    result = screen(["survey.xlsx"], rules="changchun-2019")
    write_outputs(result, "out/")

The package's rooms: the core (read → normalise → compute → check → classify, the rules and the
message catalogue) in the modules at this level; outputs/ for everything written; runtime.py for the
speed machinery; jobs.py for the jobs behind the commands; cli/ for the command line."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("edgescreen")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+checkout"

from .errors import EdgescreenError, InputError, OutputError, RulesError  # noqa: E402


def __getattr__(name: str):
    """The library API loads pandas; the command line imports this package first and wants to start
    reading before pandas is loaded, so these are imported on first use."""
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
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["screen", "Result", "load_rules", "write_outputs", "EdgescreenError", "InputError", "OutputError",
           "RulesError", "__version__"]
