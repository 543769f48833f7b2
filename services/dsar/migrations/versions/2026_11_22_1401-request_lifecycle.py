"""request types, channels, extensions and approvals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _label(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_due_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("registered_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "identity_check",
                _label(
                    "identitycheck",
                    "bankid_login",
                    "bankid_in_person",
                    "id_document",
                    "known_from_earlier_contact",
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("name_ct", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("corrections_ct", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("extension_months", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "extension_reason",
                _label("extensionreason", "complexity", "number_of_requests"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("extension_letter_sent_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "extension_letter_sent_via",
                _label("letterchannel", "letter", "email", "in_person", "self_service"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("extended_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("approval", _label("approval", "four_eyes", "automatic"), nullable=True)
        )
        batch_op.add_column(
            sa.Column("approved_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "rejection_reason",
                _label(
                    "rejectionreason",
                    "manifestly_unfounded",
                    "excessive",
                    "identity_not_proven",
                    "no_data_held",
                    "legal_obligation",
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("identifiers_shredded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_data_request_registered_by"), ["registered_by"], unique=False
        )
    # Requests filed before: the due date in force was the first one, and staff who filed a
    # request were recorded as its handler. How identity was checked was free text, sealed under
    # the request's key: it cannot be turned into a label here and is dropped.
    op.execute("UPDATE data_request SET first_due_date = due_date")
    op.execute(
        "UPDATE data_request SET registered_by = handler WHERE channel IN ('staff', 'letter_email')"
    )
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.alter_column("first_due_date", existing_type=sa.Date(), nullable=False)
        batch_op.drop_column("identity_verification_ct")


def downgrade() -> None:
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity_verification_ct", sa.Text(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_data_request_registered_by"))
        for column in (
            "identifiers_shredded_at",
            "rejection_reason",
            "approved_at",
            "approved_by",
            "approval",
            "extended_at",
            "extension_letter_sent_via",
            "extension_letter_sent_date",
            "extension_reason",
            "extension_months",
            "corrections_ct",
            "name_ct",
            "identity_check",
            "registered_by",
            "first_due_date",
        ):
            batch_op.drop_column(column)
    # Statuses the earlier schema did not know fall back to the nearest it did.
    op.execute(
        "UPDATE data_request SET status = 'in_progress' "
        "WHERE status IN ('identity_verified', 'awaiting_approval', 'approved')"
    )
    op.execute(
        "UPDATE data_request SET status = 'failed' WHERE status IN ('rejected', 'withdrawn')"
    )
