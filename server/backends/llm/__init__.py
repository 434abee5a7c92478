"""The LLM fallback for utterances the grammar is unsure of."""

from __future__ import annotations

from server.backends.llm.base import Extraction, ExtractionRequest, Extractor, Invocation

__all__ = ["Extraction", "ExtractionRequest", "Extractor", "Invocation"]
