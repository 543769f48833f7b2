"""The client record's fields the org profile turns on: the complement of what the registry
refuses (`persons.rules.hidden_fields`), so a form and the API agree by construction."""

from __future__ import annotations

from vern.kit.orgprofile import OrgProfile
from vern.registry.persons.rules import hidden_fields
from vern.registry.persons.schemas import PersonCreate
from vern.registry.record_fields.schemas import RecordFieldsRead

# Not a field of the record but how it is registered, or whom it is assigned to.
_ALWAYS = {"anonymous", "assigned_counsellor_id"}


def record_fields(*, profile: OrgProfile) -> RecordFieldsRead:
    """The registration form's fields at this centre."""
    hidden = hidden_fields(profile)
    fields = [
        name for name in PersonCreate.model_fields if name not in hidden and name not in _ALWAYS
    ]
    return RecordFieldsRead(
        fields=fields,
        anonymous_clients_allowed=profile.client_record.anonymous_clients_allowed,
        guardian_consent_under=profile.age_rules.guardian_consent_under,
    )
