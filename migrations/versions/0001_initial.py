"""The forum tables: threads, comments, moderation events.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the models' column types as they were at this revision.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
THREAD_KEY = sa.String(255).with_variant(
    mysql.VARCHAR(255, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
)
LONG_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "forum_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", THREAD_KEY, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("approved_count", sa.Integer(), nullable=False),
        sa.Column("pending_count", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_threads")),
        mysql_charset="utf8mb4",
    )
    op.create_index("uq_forum_threads_key", "forum_threads", ["key"], unique=True)

    op.create_table(
        "forum_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("root_id", sa.Integer(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("moderation_reason", sa.String(500), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=True),
        sa.Column("author_name", sa.String(100), nullable=False),
        sa.Column("author_email", sa.String(254), nullable=True),
        sa.Column("ip_hash", sa.String(64), nullable=True),
        sa.Column("body_markdown", LONG_TEXT, nullable=False),
        sa.Column("body_html", LONG_TEXT, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("origin", sa.String(255), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["forum_comments.id"], name=op.f("fk_forum_comments_parent_id_forum_comments")
        ),
        sa.ForeignKeyConstraint(
            ["root_id"], ["forum_comments.id"], name=op.f("fk_forum_comments_root_id_forum_comments")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["forum_threads.id"], name=op.f("fk_forum_comments_thread_id_forum_threads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_comments")),
        mysql_charset="utf8mb4",
    )
    for name, columns, unique in (
        ("ix_forum_comments_thread_page", ["thread_id", "depth", "created_at", "id"], False),
        ("ix_forum_comments_root", ["root_id", "status", "created_at", "id"], False),
        ("ix_forum_comments_queue", ["status", "created_at", "id"], False),
        ("ix_forum_comments_author_email", ["author_email", "status"], False),
        ("ix_forum_comments_author_id", ["author_id", "status"], False),
        ("uq_forum_comments_origin", ["origin"], True),
    ):
        op.create_index(name, "forum_comments", columns, unique=unique)

    op.create_table(
        "forum_moderation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["forum_comments.id"],
            name=op.f("fk_forum_moderation_events_comment_id_forum_comments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_moderation_events")),
        mysql_charset="utf8mb4",
    )
    op.create_index("ix_forum_moderation_events_comment", "forum_moderation_events", ["comment_id", "created_at"])
    op.create_index("ix_forum_moderation_events_actor", "forum_moderation_events", ["actor_id", "created_at"])


def downgrade() -> None:
    op.drop_table("forum_moderation_events")
    op.drop_table("forum_comments")
    op.drop_table("forum_threads")
