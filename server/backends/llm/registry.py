"""Which model the LLM fallback asks: the newest active fine-tuned model, else VOICELOG_LLM_MODEL."""

from __future__ import annotations

import logging
import time

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db_llm import FineTunedModel

__all__ = ["ModelRegistry", "register_fine_tuned"]

log = logging.getLogger(__name__)


class ModelRegistry:
    """`current()` is called on the hot path, so the answer is memoized for `refresh_s`."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        task: str = "extract",
        refresh_s: float = 30.0,
    ) -> None:
        self._sessions = sessionmaker
        self._task = task
        self._refresh_s = refresh_s
        self._cached: str | None = None
        self._read_at = float("-inf")

    async def current(self) -> str | None:
        """The active fine-tuned model's id, or None for the extractor's base model."""
        if time.monotonic() - self._read_at < self._refresh_s:
            return self._cached
        try:
            async with self._sessions() as session:
                self._cached = (
                    await session.execute(
                        select(FineTunedModel.model)
                        .where(FineTunedModel.active.is_(True), FineTunedModel.task == self._task)
                        .order_by(FineTunedModel.created_at.desc())
                        .limit(1)
                    )
                ).scalar_one_or_none()
        except Exception as exc:  # the fine-tune table is an optimisation, never a failure
            log.warning("fine_tuned_models unreadable, using the base model: %s", exc)
        self._read_at = time.monotonic()
        return self._cached

    def forget(self) -> None:
        self._read_at = float("-inf")


async def register_fine_tuned(
    session: AsyncSession,
    model: str,
    *,
    base_model: str,
    task: str = "extract",
    activate: bool = True,
    notes: str | None = None,
) -> FineTunedModel:
    """Record a fine-tuned model; activating it deactivates the task's others (one active at a time)."""
    if activate:
        await session.execute(update(FineTunedModel).where(FineTunedModel.task == task).values(active=False))
    row = FineTunedModel(model=model, base_model=base_model, task=task, active=activate, notes=notes)
    session.add(row)
    await session.flush()
    return row
