"""Drafts remember the version their edits started from, so that a save after a reload can still
tell whether someone else saved in between.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as table:
        table.add_column(sa.Column("based_on", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts") as table:
        table.drop_column("based_on")
