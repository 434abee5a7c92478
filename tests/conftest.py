"""Suite-wide hygiene: no test reads the developer's configuration or writes into their data directory."""

from __future__ import annotations

import os
import tempfile

import pytest

__all__: list[str] = []

# Variables that would point code under test at outside services or a real data directory.
_OUTSIDE = ("VOICELOG_", "UPSTASH_", "OPENAI_")


def pytest_configure(config: pytest.Config) -> None:
    for key in [k for k in os.environ if k.startswith(_OUTSIDE)]:
        del os.environ[key]
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="voicelog-test-data-")
