"""The SearchIndex Protocol: a phrase in, ranked catalog ids out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import msgspec

from matcher.index import SearchHit
from server.backends.errors import BackendUnavailable

__all__ = ["Document", "Progress", "SearchHit", "SearchIndex", "SearchUnavailable"]

#: called with (documents done, documents in all) while a reindex runs
Progress = Callable[[int, int], None]


class SearchUnavailable(BackendUnavailable):
    """The remote index did not answer usefully; the embedded index serves instead."""


class Document(msgspec.Struct, frozen=True):
    """What an index holds for one id: `content` is searched, `metadata` is only returned."""

    id: str
    content: dict[str, str]
    metadata: dict[str, str] = msgspec.field(default_factory=dict)


@runtime_checkable
class SearchIndex(Protocol):
    name: str
    #: True when searching costs a network round trip (worth caching, worth a timeout)
    remote: bool

    async def search(self, phrase: str, *, limit: int = 10) -> list[SearchHit]: ...

    async def reindex(
        self, index: str, documents: Sequence[Document], *, progress: Progress | None = None
    ) -> int:
        """Replace the named index's documents; returns how many it now holds."""
        ...

    async def aclose(self) -> None: ...
