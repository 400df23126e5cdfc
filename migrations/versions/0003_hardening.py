"""Hardening: one-use comment forms, shared-address flags, answered reports, ban events in the audit log, confirmed mail addresses.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    with op.batch_alter_table("forum_comments") as batch_op:
        batch_op.add_column(sa.Column("form_nonce", sa.String(32), nullable=True))
        batch_op.add_column(sa.Column("ip_private", sa.Boolean(), nullable=True))
    op.create_index("uq_forum_comments_form_nonce", "forum_comments", ["form_nonce"], unique=True)

    with op.batch_alter_table("forum_flags") as batch_op:
        batch_op.add_column(sa.Column("cleared_at", TIMESTAMP, nullable=True))

    with op.batch_alter_table("forum_moderation_events") as batch_op:
        batch_op.alter_column("comment_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("ban_id", sa.Integer(), nullable=True))

    op.create_table(
        "forum_mail_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("confirmed_at", TIMESTAMP, nullable=True),
        sa.Column("confirmation_sent_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_mail_addresses")),
        mysql_charset="utf8mb4",
    )
    op.create_index("uq_forum_mail_addresses_email", "forum_mail_addresses", ["email"], unique=True)
    op.create_index("uq_forum_mail_addresses_token", "forum_mail_addresses", ["token"], unique=True)


def downgrade() -> None:
    op.drop_table("forum_mail_addresses")
    with op.batch_alter_table("forum_moderation_events") as batch_op:
        batch_op.drop_column("ban_id")
    # Events about no one comment (bans) cannot be kept by the older schema.
    op.execute(sa.text("DELETE FROM forum_moderation_events WHERE comment_id IS NULL"))
    with op.batch_alter_table("forum_moderation_events") as batch_op:
        batch_op.alter_column("comment_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("forum_flags") as batch_op:
        batch_op.drop_column("cleared_at")
    op.drop_index("uq_forum_comments_form_nonce", table_name="forum_comments")
    with op.batch_alter_table("forum_comments") as batch_op:
        batch_op.drop_column("ip_private")
        batch_op.drop_column("form_nonce")
