"""The categories of data the registry holds about a subject, each described by the org profile's
processing activity that keeps it (purpose, legal basis, source, recipients): the notice's words,
not the registry's."""

from __future__ import annotations

from vern.kit.contract import ActivityDescription, KeptItem, describe_activity
from vern.kit.orgprofile import Clock, OrgProfile, VernService, VernStore

CLIENT_RECORD = "client_record"
RELATED_PERSONS = "related_persons"
CONTACT_EVENTS = "contact_events"
WAITLIST_ENTRY = "waitlist_entry"
ACTIVITY_REGISTRATION = "activity_registration"
ANONYMOUS_STATISTICS = "anonymous_statistics"
AUDIT_LOG = "audit_log"

_CLIENT_CLOCKS = (Clock.last_counsellor_contact, Clock.counselling_ended)
CLOCKS: dict[str, tuple[Clock, ...]] = {
    CLIENT_RECORD: _CLIENT_CLOCKS,
    RELATED_PERSONS: _CLIENT_CLOCKS,  # partner and guardian are part of the client's record
    CONTACT_EVENTS: _CLIENT_CLOCKS,
    WAITLIST_ENTRY: (Clock.counsellor_assigned,),
    ACTIVITY_REGISTRATION: (Clock.activity_ended,),
}

KEPT_AUDIT_LOG = KeptItem(
    category=AUDIT_LOG,
    reason=(
        "Loggen over hvem som har lest, endret og slettet opplysningene beholdes som dokumentasjon "
        "på at de er behandlet lovlig. Den inneholder bare interne id-er, ingen navn eller "
        "kontaktopplysninger, og kan ikke kobles til deg etter slettingen."
    ),
    law="personvernforordningen artikkel 5 nr. 2 og artikkel 30",
)
KEPT_STATISTICS = KeptItem(
    category=ANONYMOUS_STATISTICS,
    reason=(
        "Anonyme tellere (antall kontakter, nye brukere per kjønn og aldersgruppe) er ført idet "
        "kontakten skjedde og inneholder ingen personopplysninger; de slettes når de ikke lenger "
        "trengs for rapportering."
    ),
)


def describe(profile: OrgProfile, category: str) -> ActivityDescription:
    """The processing activity stored in the registry whose retention clock keeps `category`."""
    registry = VernStore(service=VernService.registry)
    for activity in profile.processing_activities.values():
        rule = profile.retention_rules.get(activity.retention_rule)
        if rule is None or registry not in activity.stored_in:
            continue
        if rule.clock_start in CLOCKS[category]:
            return describe_activity(activity, rule)
    raise LookupError(f"the org profile describes no processing in the registry for {category}")


def kept(profile: OrgProfile) -> list[KeptItem]:
    """What an erasure leaves in the registry, and why."""
    items = [KEPT_AUDIT_LOG]
    if profile.modules.statistics:
        items.append(KEPT_STATISTICS)
    return items
