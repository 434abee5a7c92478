"""Errors shared by every backend: a service that is down, a cloud client not installed or configured."""

from __future__ import annotations

__all__ = ["BackendUnavailable", "MissingBackendDependency", "import_or_explain"]

import importlib
from types import ModuleType


class BackendUnavailable(Exception):
    """The remote service did not answer usefully (down, timeout, 5xx, 429); callers fall back."""

    def __init__(self, backend: str, reason: str, *, status: str = "error") -> None:
        super().__init__(f"{backend}: {reason}")
        self.backend = backend
        self.reason = reason
        #: a short machine word for logs and the voice command's path: "timeout", "rate_limited", "error"...
        self.status = status


class MissingBackendDependency(RuntimeError):
    """A cloud backend was selected by the environment but its client package is not importable."""


def import_or_explain(module: str, *, package: str, setting: str) -> ModuleType:
    """Import a cloud client lazily, so a laptop without it still runs on the embedded defaults."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingBackendDependency(
            f"{setting} is set, which needs the `{package}` package: pip install {package} "
            f"(or unset {setting} to use the embedded default)"
        ) from exc
