"""When the register's data must be deleted ("slettes"), by the org profile's rules."""

from __future__ import annotations

from datetime import date, datetime

from vern.kit.clock import add_months, oslo_date

# The contact register entry is kept 3 years after the last contact with the counsellor
# (Nok. Bergen) or after counselling ended (Tryggere); both seeds name three years.
CONTACT_REGISTER_RULE = "contact_register"
CONTACT_REGISTER_MONTHS = 36


def person_due_date(
    *,
    intake_date: date,
    last_counsellor_contact_at: datetime | None,
    counselling_ended_at: datetime | None,
) -> date:
    """The date the client's entry is due for deletion: 3 years after the latest of intake, last
    counsellor contact and end of counselling (Oslo calendar dates)."""
    moments = [intake_date]
    moments += [oslo_date(m) for m in (last_counsellor_contact_at, counselling_ended_at) if m]
    return add_months(max(moments), CONTACT_REGISTER_MONTHS)
