"""waiting list, activities and registrations, anonymous statistics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 13:01:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "course", "lecture", "group", name="activitykind", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counsellor_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["counsellor_id"], ["counsellor.id"], name=op.f("fk_activity_counsellor_id_counsellor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_counsellor_id"), ["counsellor_id"], unique=False
        )

    op.create_table(
        "activity_registration",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("full_name_ct", sa.Text(), nullable=True),
        sa.Column("email_ct", sa.Text(), nullable=True),
        sa.Column("phone_ct", sa.Text(), nullable=True),
        sa.Column("email_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("phone_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("retention_due_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_registration_activity_id_activity"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_registration")),
    )
    with op.batch_alter_table("activity_registration", schema=None) as batch_op:
        for column in ("activity_id", "email_bidx", "phone_bidx", "retention_due_date"):
            batch_op.create_index(
                batch_op.f(f"ix_activity_registration_{column}"), [column], unique=False
            )

    op.create_table(
        "waitlist_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("full_name_ct", sa.Text(), nullable=True),
        sa.Column("email_ct", sa.Text(), nullable=True),
        sa.Column("phone_ct", sa.Text(), nullable=True),
        sa.Column("birth_date_ct", sa.Text(), nullable=True),
        sa.Column("gender_ct", sa.Text(), nullable=True),
        sa.Column("new_user_ct", sa.Text(), nullable=True),
        sa.Column("affected_as_ct", sa.Text(), nullable=True),
        sa.Column("abuse_kind_ct", sa.Text(), nullable=True),
        sa.Column("other_help_services_ct", sa.Text(), nullable=True),
        sa.Column("email_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("phone_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column(
            "assigned_counsellor_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
        ),
        sa.Column("counsellor_assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retention_due_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_counsellor_id"],
            ["counsellor.id"],
            name=op.f("fk_waitlist_entry_assigned_counsellor_id_counsellor"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entry")),
    )
    with op.batch_alter_table("waitlist_entry", schema=None) as batch_op:
        for column in (
            "received_date",
            "email_bidx",
            "phone_bidx",
            "assigned_counsellor_id",
            "retention_due_date",
        ):
            batch_op.create_index(batch_op.f(f"ix_waitlist_entry_{column}"), [column], unique=False)

    op.create_table(
        "statistic_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistic_counter")),
        sa.UniqueConstraint("metric", "key", "year", "month", name="uq_statistic_counter_period"),
    )
    with op.batch_alter_table("statistic_counter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statistic_counter_year"), ["year"], unique=False)

    op.create_table(
        "statistics_retention",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("no_longer_needed_date", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_statistics_retention")),
    )
    with op.batch_alter_table("statistics_retention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statistics_retention_no_longer_needed_date"),
            ["no_longer_needed_date"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_registration", schema=None) as batch_op:
        for column in ("retention_due_date", "phone_bidx", "email_bidx", "activity_id"):
            batch_op.drop_index(batch_op.f(f"ix_activity_registration_{column}"))
    op.drop_table("activity_registration")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_counsellor_id"))
    op.drop_table("activity")
    with op.batch_alter_table("waitlist_entry", schema=None) as batch_op:
        for column in (
            "retention_due_date",
            "assigned_counsellor_id",
            "phone_bidx",
            "email_bidx",
            "received_date",
        ):
            batch_op.drop_index(batch_op.f(f"ix_waitlist_entry_{column}"))
    op.drop_table("waitlist_entry")
    with op.batch_alter_table("statistics_retention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistics_retention_no_longer_needed_date"))
    op.drop_table("statistics_retention")
    with op.batch_alter_table("statistic_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistic_counter_year"))
    op.drop_table("statistic_counter")
