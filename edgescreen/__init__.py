"""edgescreen: screen survey workbooks for 贫困边缘户 (poverty-edge households)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("edgescreen")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+checkout"

from .errors import EdgescreenError, InputError, OutputError, RulesError  # noqa: E402
from .pipeline import Result, screen  # noqa: E402
from .rules import load_rules  # noqa: E402

__all__ = ["screen", "Result", "load_rules", "EdgescreenError", "InputError", "OutputError",
           "RulesError", "__version__"]
