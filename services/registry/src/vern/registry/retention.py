"""When a client's entry in the register must be deleted ("slettes"), by the org profile's rule.

The rule is the retention rule of the processing activity stored in the registry whose clock the
registry keeps for clients: `last_counsellor_contact` (Nok. Bergen's contact_register: "fjernes
etter 3 år uten at vedkommende har hatt kontakt med sin faglige veileder") or `counselling_ended`
(Tryggere's counselling_record: "3 år etter at bruker har avsluttet veiledningen").

Before the clock has started:
- `last_counsellor_contact`: intake counts as the first contact, so a client nobody has met yet
  is due one period after intake; every contact with a counsellor moves the date on.
- `counselling_ended`: while counselling goes on, the due date is provisional, one period after
  the latest of intake and the last counsellor contact, i.e. the date it would have if counselling
  had ended at the last contact. A client who stops coming without anyone marking counselling as
  ended is therefore not kept for ever, and an active client's date keeps moving with each contact.
  Marking counselling ended can only move the date later, never earlier than the notice promises.
Dates are Oslo calendar dates (vern.kit.orgprofile.dates).
"""

from __future__ import annotations

from datetime import date, datetime

from vern.kit.orgprofile import (
    Clock,
    OrgProfile,
    RetentionRule,
    VernService,
    VernStore,
    oslo_date,
    retention_due_date,
)

CLIENT_CLOCKS = (Clock.last_counsellor_contact, Clock.counselling_ended)
# The rule id of Nok. Bergen's register; prefer `client_rule(profile)` which reads the profile.
CONTACT_REGISTER_RULE = "contact_register"


def client_rule(profile: OrgProfile) -> tuple[str, RetentionRule]:
    """The id and rule of the activity that keeps clients in the registry."""
    registry = VernStore(service=VernService.registry)
    for activity in profile.processing_activities.values():
        rule = profile.retention_rules.get(activity.retention_rule)
        if (
            rule is not None
            and registry in activity.stored_in
            and rule.clock_start in CLIENT_CLOCKS
        ):
            return activity.retention_rule, rule
    raise LookupError(
        "the org profile stores no clients in the registry: no processing activity stored in "
        "the registry has a retention rule counted from the last counsellor contact or the end "
        "of counselling"
    )


def person_due_date(
    *,
    profile: OrgProfile,
    intake_date: date,
    last_counsellor_contact_at: datetime | None,
    counselling_ended_at: datetime | None,
) -> date:
    """The date the client's entry is due for deletion under the profile's rule (see above)."""
    _, rule = client_rule(profile)
    moments = [intake_date]
    if last_counsellor_contact_at is not None:
        moments.append(oslo_date(last_counsellor_contact_at))
    if rule.clock_start is Clock.counselling_ended and counselling_ended_at is not None:
        moments.append(oslo_date(counselling_ended_at))
    return retention_due_date(max(moments), rule.period)
