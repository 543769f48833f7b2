"""persons complete: every client field of the profile, related persons, journal consent, contacts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEALED = (
    "address_ct",
    "partner_name_ct",
    "partner_phone_ct",
    "guardian_name_ct",
    "guardian_phone_ct",
    "guardian_email_ct",
)


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        for name in SEALED:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("confidentiality_declaration_signed_date", sa.Date(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "confidentiality_declaration_version",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("guardian_consent_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("journal_consent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("journal_consent_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("counsellor_assigned_at", sa.DateTime(timezone=True), nullable=True)
        )
    # The defaults only fill existing rows; the models set every value themselves.
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("anonymous", server_default=None)
        batch_op.alter_column("journal_consent", server_default=None)

    op.create_table(
        "contact_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "session",
                "phone",
                "email",
                "sms",
                "video",
                "visit",
                name="contactkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counsellor_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["counsellor_id"],
            ["counsellor.id"],
            name=op.f("fk_contact_event_counsellor_id_counsellor"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_contact_event_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_event")),
    )
    with op.batch_alter_table("contact_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_event_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contact_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_event_person_id"))
    op.drop_table("contact_event")
    with op.batch_alter_table("person", schema=None) as batch_op:
        for name in (
            "counsellor_assigned_at",
            "journal_consent_at",
            "journal_consent",
            "guardian_consent_date",
            "confidentiality_declaration_version",
            "confidentiality_declaration_signed_date",
            *SEALED,
            "anonymous",
        ):
            batch_op.drop_column(name)
