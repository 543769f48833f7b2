"""the breach register (avvik) and the deadline reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The register is the Art. 33(5) record: a breach is never deleted, and its timeline is never
# changed or deleted, whatever the code above the database does.
_REFUSALS = [
    ("breach_event", "UPDATE", "the breach timeline is append-only"),
    ("breach_event", "DELETE", "the breach timeline is append-only"),
    ("breach", "DELETE", "breaches are kept as the Art. 33(5) record"),
]


def _refusal_statements(dialect: str) -> list[str]:
    statements = []
    for table, operation, message in _REFUSALS:
        name = f"{table}_no_{operation.lower()}"
        if dialect == "postgresql":
            statements += [
                f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {name} BEFORE {operation} ON {table}
                FOR EACH ROW EXECUTE FUNCTION {name}()""",
            ]
        else:
            statements.append(
                f"""CREATE TRIGGER {name} BEFORE {operation} ON {table}
                BEGIN SELECT RAISE(ABORT, '{message}'); END"""
            )
    return statements


def _drop_refusal_statements(dialect: str) -> list[str]:
    statements = []
    for table, operation, _ in _REFUSALS:
        name = f"{table}_no_{operation.lower()}"
        if dialect == "postgresql":
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
    return statements


def upgrade() -> None:
    op.create_table(
        "breach",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("discovered_by_ct", sa.Text(), nullable=True),
        sa.Column("description_ct", sa.Text(), nullable=True),
        sa.Column("data_categories", sa.JSON(), nullable=False),
        sa.Column("affected_count", sa.Integer(), nullable=True),
        sa.Column("records_count", sa.Integer(), nullable=True),
        sa.Column("affected_subject_ids", sa.JSON(), nullable=False),
        sa.Column(
            "risk",
            sa.Enum("none", "risk", "high_risk", name="breachrisk", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("risk_assessment_ct", sa.Text(), nullable=True),
        sa.Column("consequences_ct", sa.Text(), nullable=True),
        sa.Column("measures_ct", sa.Text(), nullable=True),
        sa.Column("authority_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late_notification_reasons_ct", sa.Text(), nullable=True),
        sa.Column("subjects_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("subjects_information_ct", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach")),
    )
    with op.batch_alter_table("breach", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breach_detected_at"), ["detected_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_breach_reported_by"), ["reported_by"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_breach_authority_notified_at"), ["authority_notified_at"], unique=False
        )

    op.create_table(
        "breach_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("breach_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("roles", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["breach_id"], ["breach.id"], name=op.f("fk_breach_event_breach_id_breach")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach_event")),
    )
    with op.batch_alter_table("breach_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breach_event_breach_id"), ["breach_id"], unique=False)

    op.create_table(
        "deadline_reminder",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "stage",
            sa.Enum("approaching", "overdue", name="reminderstage", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_reminder")),
        sa.UniqueConstraint(
            "kind", "ref", "stage", "due_at", name=op.f("uq_deadline_reminder_kind")
        ),
    )
    with op.batch_alter_table("deadline_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_reminder_ref"), ["ref"], unique=False)
    for statement in _refusal_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in _drop_refusal_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("deadline_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_reminder_ref"))
    op.drop_table("deadline_reminder")
    with op.batch_alter_table("breach_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breach_event_breach_id"))
    op.drop_table("breach_event")
    with op.batch_alter_table("breach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breach_authority_notified_at"))
        batch_op.drop_index(batch_op.f("ix_breach_reported_by"))
        batch_op.drop_index(batch_op.f("ix_breach_detected_at"))
    op.drop_table("breach")
