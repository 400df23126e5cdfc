"""Moderation: revisions, held edits, reader flags, bans, word lists, mail digests, per-status counts, an index on IP hashes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
LONG_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
NEW_COUNTS = ("rejected", "spam", "deleted")


def _comment_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["comment_id"], ["forum_comments.id"], name=op.f(f"fk_{table}_comment_id_forum_comments")
    )


def upgrade() -> None:
    op.create_table(
        "forum_bans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(254), nullable=False),
        sa.Column("label", sa.String(254), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_by_id", sa.String(64), nullable=True),
        sa.Column("created_by_name", sa.String(100), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_bans")),
        mysql_charset="utf8mb4",
    )
    op.create_index("ix_forum_bans_kind_value", "forum_bans", ["kind", "value"])

    op.create_table(
        "forum_mail_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_comment_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_mail_digests")),
        mysql_charset="utf8mb4",
    )

    op.create_table(
        "forum_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list", sa.String(16), nullable=False),
        sa.Column("word", sa.String(100), nullable=False),
        sa.Column("created_by_name", sa.String(100), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_words")),
        mysql_charset="utf8mb4",
    )
    op.create_index("uq_forum_words_list_word", "forum_words", ["list", "word"], unique=True)

    op.create_table(
        "forum_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("reporter", sa.String(80), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _comment_fk("forum_flags"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_flags")),
        mysql_charset="utf8mb4",
    )
    op.create_index("uq_forum_flags_comment_reporter", "forum_flags", ["comment_id", "reporter"], unique=True)

    op.create_table(
        "forum_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("body_markdown", LONG_TEXT, nullable=False),
        sa.Column("body_html", LONG_TEXT, nullable=False),
        sa.Column("editor_id", sa.String(64), nullable=True),
        sa.Column("editor_name", sa.String(100), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _comment_fk("forum_revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_revisions")),
        mysql_charset="utf8mb4",
    )
    op.create_index("ix_forum_revisions_comment", "forum_revisions", ["comment_id", "created_at"])

    with op.batch_alter_table("forum_comments") as batch_op:
        batch_op.add_column(sa.Column("notify", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("flag_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("edit_pending", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("pending_markdown", LONG_TEXT, nullable=True))
        batch_op.add_column(sa.Column("pending_html", LONG_TEXT, nullable=True))
    op.create_index("ix_forum_comments_ip_hash", "forum_comments", ["ip_hash", "status"])
    op.create_index("ix_forum_comments_edit_pending", "forum_comments", ["edit_pending", "created_at", "id"])

    with op.batch_alter_table("forum_threads") as batch_op:
        for status in NEW_COUNTS:
            batch_op.add_column(sa.Column(f"{status}_count", sa.Integer(), server_default="0", nullable=False))

    # Threads that already hold rejected comments get their counts now.
    threads = sa.table("forum_threads", sa.column("id"), *(sa.column(f"{s}_count") for s in NEW_COUNTS))
    comments = sa.table("forum_comments", sa.column("thread_id"), sa.column("status"))
    op.execute(
        threads.update().values(
            {
                f"{status}_count": sa.select(sa.func.count())
                .select_from(comments)
                .where(comments.c.thread_id == threads.c.id, comments.c.status == status)
                .scalar_subquery()
                for status in NEW_COUNTS
            }
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("forum_threads") as batch_op:
        for status in NEW_COUNTS:
            batch_op.drop_column(f"{status}_count")
    op.drop_index("ix_forum_comments_edit_pending", table_name="forum_comments")
    op.drop_index("ix_forum_comments_ip_hash", table_name="forum_comments")
    with op.batch_alter_table("forum_comments") as batch_op:
        batch_op.drop_column("pending_html")
        batch_op.drop_column("pending_markdown")
        batch_op.drop_column("edit_pending")
        batch_op.drop_column("flag_count")
        batch_op.drop_column("notify")
    for table in ("forum_revisions", "forum_flags", "forum_words", "forum_mail_digests", "forum_bans"):
        op.drop_table(table)
