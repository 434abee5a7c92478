"""Tables of offline sync: the change journal behind cursors, each record's per-field clocks, receipts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, new_id, utcnow

__all__ = ["SyncJournal", "SyncReceipt", "SyncRecord"]


class SyncJournal(Base):
    """One row per workout or set written, by anyone (voice, REST, sync, imports): a cursor is a `seq`,
    and a pull answers the current state of every record journaled after it."""

    __tablename__ = "sync_journal"
    __table_args__ = (Index("ix_sync_journal_user_seq", "user_id", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))  # workout | set
    entity_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncRecord(Base):
    """The merge state of one workout or set: every field's value with the stamp of the write that set it.

    A stamp is [time, rank, tiebreak, seq]: client time (or server time for a server correction), rank 1
    for a server correction and 0 for a device, the value's canonical JSON, and for server corrections the
    journal position (a device whose cursor is before it had not seen the correction). `deleted` is the
    stamp of the newest deletion; the record is visible while some field's stamp is newer.
    """

    __tablename__ = "sync_records"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "entity_id"),
        UniqueConstraint("user_id", "kind", "client_id", name="uq_sync_records_client"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    entity_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str | None] = mapped_column(String(36), default=None)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stamps: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    deleted: Mapped[list[Any] | None] = mapped_column(JSON, default=None)


class SyncReceipt(Base):
    """What one change (op, client id, client time, data) was answered: the same change again answers
    the same, and changes nothing."""

    __tablename__ = "sync_receipts"
    __table_args__ = (UniqueConstraint("user_id", "change_key"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    change_key: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(36))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow)
