"""Workshops: the join code and facilitator key of a workshop document, its participants, their
answers, the estimate rounds and the estimates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False, unique=True),
        sa.Column("join_code", sa.String(8), nullable=False, unique=True),
        sa.Column("facilitator_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("device_hash", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workshop_id", "name_key", name="uq_participant_name"),
    )
    op.create_table(
        "workshop_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("workshop_participants.id"), nullable=False,
                  index=True),
        sa.Column("question", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("participant_id", "question", name="uq_participant_question"),
    )
    op.create_table(
        "workshop_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("target", sa.JSON, nullable=False),
        sa.Column("scenario_version", sa.Integer, nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("adopted_version", sa.Integer, nullable=True),
        sa.UniqueConstraint("workshop_id", "number", name="uq_round_number"),
    )
    op.create_table(
        "workshop_estimates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("workshop_rounds.id"), nullable=False, index=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("workshop_participants.id"), nullable=False,
                  index=True),
        sa.Column("low", sa.Float, nullable=True),
        sa.Column("most_likely", sa.Float, nullable=True),
        sa.Column("high", sa.Float, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("round_id", "participant_id", name="uq_round_participant"),
    )


def downgrade() -> None:
    for table in ("workshop_estimates", "workshop_rounds", "workshop_answers", "workshop_participants", "workshops"):
        op.drop_table(table)
