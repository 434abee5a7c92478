"""Tables of the lifter's profile: the current document, and the append-only ledger of its changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, new_id, utcnow

__all__ = ["ProfileRow", "ProfileUpdate"]


class ProfileRow(Base):
    """The profile as it stands; `revision` counts the ledger rows it is the result of."""

    __tablename__ = "profiles"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProfileUpdate(Base):
    """One change as an RFC 6902 patch; replaying a user's rows in `seq` order rebuilds the profile."""

    __tablename__ = "profile_updates"
    __table_args__ = (Index("ix_profile_updates_user_seq", "user_id", "seq", unique=True),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    patch: Mapped[list[Any]] = mapped_column(JSON)
    # The deepest JSON pointer every operation of the patch lies under ("" for the whole profile).
    path: Mapped[str] = mapped_column(String(500))
    # user | voice | auto | import
    source: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    # What the lifter said, for spoken updates.
    transcript: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
