"""Organisations and the example bank: every document and draft belongs to an organisation, every
version records who saved it, a copy remembers its origin, and published scenarios are kept in
``bank_entries``. Existing rows become the embedded mode's organisation ("").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as table:
        table.add_column(sa.Column("organisation", sa.String(120), nullable=False, server_default=""))
        table.add_column(sa.Column("origin", sa.String(64), nullable=True))
        table.create_index("ix_documents_organisation", ["organisation"])
    with op.batch_alter_table("document_versions") as table:
        table.add_column(sa.Column("saved_by", sa.String(200), nullable=True))
    with op.batch_alter_table("drafts") as table:
        table.add_column(sa.Column("organisation", sa.String(120), nullable=False, server_default=""))
        table.drop_constraint("uq_draft_workspace_kind_source", type_="unique")
        table.create_unique_constraint("uq_draft_key", ["organisation", "workspace", "kind", "source"])
    op.create_table(
        "bank_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("published_by", sa.String(200), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("source_document_id", sa.Integer, nullable=True),
        sa.Column("source_version", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("bank_entries")
    with op.batch_alter_table("drafts") as table:
        table.drop_constraint("uq_draft_key", type_="unique")
        table.create_unique_constraint("uq_draft_workspace_kind_source", ["workspace", "kind", "source"])
        table.drop_column("organisation")
    with op.batch_alter_table("document_versions") as table:
        table.drop_column("saved_by")
    with op.batch_alter_table("documents") as table:
        table.drop_index("ix_documents_organisation")
        table.drop_column("origin")
        table.drop_column("organisation")
