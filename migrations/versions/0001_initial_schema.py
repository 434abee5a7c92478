"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercises",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("equipment", sa.String(length=60), nullable=True),
        sa.Column("category", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercises")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("default_unit", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "exercise_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercises.id"],
            name=op.f("fk_exercise_aliases_exercise_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_aliases")),
        sa.UniqueConstraint("exercise_id", "alias", name=op.f("uq_exercise_aliases_exercise_id")),
    )
    with op.batch_alter_table("exercise_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_aliases_alias"), ["alias"], unique=False)
        batch_op.create_index(batch_op.f("ix_exercise_aliases_exercise_id"), ["exercise_id"], unique=False)

    op.create_table(
        "workouts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_workouts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workouts")),
    )
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workouts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "voice_commands",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("workout_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("raw_transcript", sa.Text(), nullable=False),
        sa.Column("normalized_text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("model_used", sa.String(length=100), nullable=False),
        sa.Column("understand_path", sa.JSON(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("latency_ms", sa.JSON(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=False),
        sa.Column("clarify_question", sa.Text(), nullable=True),
        sa.Column("stt_model", sa.String(length=100), nullable=True),
        sa.Column("audio_duration_s", sa.Float(), nullable=True),
        sa.Column("stt_ms", sa.Float(), nullable=True),
        sa.Column("audio_path", sa.Text(), nullable=True),
        sa.Column("result_set_ids", sa.JSON(), nullable=False),
        sa.Column("target_command_id", sa.String(length=36), nullable=True),
        sa.Column("was_corrected", sa.Boolean(), nullable=False),
        sa.Column("corrected_output", sa.JSON(), nullable=True),
        sa.Column("correction_type", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_voice_commands_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workouts.id"],
            name=op.f("fk_voice_commands_workout_id_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_commands")),
        sa.UniqueConstraint("user_id", "client_id", name=op.f("uq_voice_commands_user_id")),
    )
    with op.batch_alter_table("voice_commands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_commands_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_voice_commands_workout_created", ["workout_id", "created_at"], unique=False)

    op.create_table(
        "workout_sets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workout_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=False),
        sa.Column("set_number", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=2), nullable=True),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("voice_command_id", sa.String(length=36), nullable=True),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("corrected", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["exercises.id"], name=op.f("fk_workout_sets_exercise_id_exercises")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_workout_sets_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["voice_command_id"],
            ["voice_commands.id"],
            name=op.f("fk_workout_sets_voice_command_id_voice_commands"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workouts.id"],
            name=op.f("fk_workout_sets_workout_id_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_sets")),
    )
    with op.batch_alter_table("workout_sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workout_sets_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workout_sets_voice_command_id"), ["voice_command_id"], unique=False
        )
        batch_op.create_index("ix_workout_sets_workout_created", ["workout_id", "created_at"], unique=False)

    op.create_table(
        "set_corrections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("set_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("voice_command_id", sa.String(length=36), nullable=True),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["workout_sets.id"],
            name=op.f("fk_set_corrections_set_id_workout_sets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_set_corrections_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_corrections")),
    )
    with op.batch_alter_table("set_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_set_corrections_set_id"), ["set_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_set_corrections_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("set_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_set_corrections_user_id"))
        batch_op.drop_index(batch_op.f("ix_set_corrections_set_id"))

    op.drop_table("set_corrections")
    with op.batch_alter_table("workout_sets", schema=None) as batch_op:
        batch_op.drop_index("ix_workout_sets_workout_created")
        batch_op.drop_index(batch_op.f("ix_workout_sets_voice_command_id"))
        batch_op.drop_index(batch_op.f("ix_workout_sets_user_id"))

    op.drop_table("workout_sets")
    with op.batch_alter_table("voice_commands", schema=None) as batch_op:
        batch_op.drop_index("ix_voice_commands_workout_created")
        batch_op.drop_index(batch_op.f("ix_voice_commands_user_id"))

    op.drop_table("voice_commands")
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workouts_user_id"))

    op.drop_table("workouts")
    with op.batch_alter_table("exercise_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_aliases_exercise_id"))
        batch_op.drop_index(batch_op.f("ix_exercise_aliases_alias"))

    op.drop_table("exercise_aliases")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("exercises")
