"""edgescreen: screen survey workbooks for 贫困边缘户 (poverty-edge households)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("edgescreen")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+checkout"

from .errors import EdgescreenError, InputError, OutputError, RulesError  # noqa: E402

# The library API loads pandas; the command line imports this package first and wants to start
# reading before pandas is loaded, so these are imported on first use.
_LAZY = {"screen": ".pipeline", "Result": ".pipeline", "load_rules": ".rules"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["screen", "Result", "load_rules", "EdgescreenError", "InputError", "OutputError",
           "RulesError", "__version__"]
