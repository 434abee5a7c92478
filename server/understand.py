"""From text to a ParsedSet on the server: the parser, plus cache, remote search and LLM when configured."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec

from models.parsed import ParsedSet, ParseResult, Unit

if TYPE_CHECKING:
    from matcher.parser import Parser

__all__ = ["Understander", "Understanding"]


class Understanding(msgspec.Struct, kw_only=True):
    """A parse and the path that produced it.

    `model_used` is what finally served the result ("grammar", or an LLM model name);
    `path` lists every stage that ran, e.g. ["grammar"] or ["cache", "grammar", "llm:timeout"].
    """

    result: ParseResult
    model_used: str = "grammar"
    path: list[str] = msgspec.field(default_factory=list)


class Understander:
    def __init__(self, parser: Parser) -> None:
        self._parser = parser

    async def understand(
        self,
        text: str,
        *,
        unit: Unit,
        previous: ParsedSet | None = None,
        recent: Sequence[str] = (),
        user_id: str | None = None,
    ) -> Understanding:
        result = self._parser.parse(text, unit=unit, previous=previous, recent=recent)
        return Understanding(result=result, model_used="grammar", path=["grammar"])
