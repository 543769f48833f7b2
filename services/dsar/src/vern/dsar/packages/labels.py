"""Norwegian (bokmål) words for what the services export: categories, field names, coded values
and audit actions. A code without words here is shown as it is, so nothing held is ever hidden."""

from __future__ import annotations

from collections.abc import Mapping

CATEGORY_NB: Mapping[str, str] = {
    "client_record": "Opplysninger om deg i kontaktregisteret",
    "related_persons": "Partner og foresatte",
    "contact_events": "Kontakter med senteret",
    "waitlist_entry": "Plass på ventelisten",
    "activity_registration": "Påmelding til aktivitet",
    "newsletter_subscription": "Nyhetsbrev",
    "consent_history": "Samtykker",
}

FIELD_NB: Mapping[str, str] = {
    "id": "Id",
    "anonymous": "Anonym",
    "full_name": "Navn",
    "name": "Navn",
    "address": "Adresse",
    "email": "E-postadresse",
    "phone": "Telefonnummer",
    "birth_date": "Fødselsdato",
    "national_id": "Fødselsnummer",
    "gender": "Kjønn",
    "heard_about": "Hvordan du fikk høre om oss",
    "intake_date": "Innmeldingsdato",
    "received_date": "Mottatt dato",
    "retention_due_date": "Slettes senest",
    "confidentiality_declaration": "Signert taushetserklæring",
    "signed_date": "Signert dato",
    "version": "Versjon",
    "newsletter_opt_in": "Ønsker nyhetsbrev",
    "partner": "Partner",
    "guardian": "Foresatt",
    "consent_date": "Dato for samtykke",
    "journal_consent": "Samtykke til journal",
    "journal_consent_at": "Samtykke til journal gitt",
    "assigned_counsellor_id": "Faglig veileder (id)",
    "counsellor_id": "Faglig veileder (id)",
    "counsellor_assigned_at": "Faglig veileder tildelt",
    "last_counsellor_contact_at": "Siste kontakt med faglig veileder",
    "counselling_ended_at": "Veiledningen avsluttet",
    "created_at": "Registrert",
    "recorded_at": "Registrert",
    "new_user": "Ny bruker",
    "affected_as": "Selv utsatt eller pårørende",
    "abuse_kind": "Type overgrep",
    "other_help_services": "I kontakt med annet hjelpeapparat",
    "activity": "Aktivitet",
    "activity_id": "Aktivitet (id)",
    "contacts": "Kontakter",
    "person_id": "Klient (id)",
    "kind": "Type",
    "occurred_at": "Tidspunkt",
    "source": "Kilde",
    "subject_ref": "Klient i kontaktregisteret (id)",
    "subscriptions": "Abonnementer",
    "list_id": "Liste",
    "status": "Status",
    "requested_at": "Påmeldt",
    "confirmed_at": "Bekreftet",
    "confirmation_expires_at": "Bekreftelseslenken utløper",
    "ip_network": "Nettverk (forkortet IP-adresse)",
    "current": "Gjeldende samtykker",
    "events": "Hendelser",
    "purpose": "Formål",
    "event": "Hendelse",
    "state": "Status",
    "since": "Siden",
    "actor": "Registrert av (id)",
    "legal_text_hash": "Samtykketekst (kontrollsum)",
    "guardian_ref": "Foresatt (id)",
}

# Coded values, by the field that holds them (one code can mean different things in two fields).
VALUE_NB: Mapping[str, Mapping[str, str]] = {
    "gender": {"female": "kvinne", "male": "mann", "other": "annet", "unknown": "ukjent"},
    "heard_about": {
        "friends_family": "venner eller familie",
        "help_services": "hjelpeapparatet",
        "internet": "internett",
        "brochure": "brosjyre",
        "other": "annet",
    },
    "affected_as": {"self_affected": "selv utsatt", "relative": "pårørende"},
    "abuse_kind": {"single": "enkeltstående", "complex": "sammensatt"},
    "kind": {
        "session": "samtale",
        "phone": "telefon",
        "email": "e-post",
        "sms": "SMS",
        "video": "videosamtale",
        "visit": "besøk",
        "course": "kurs",
        "lecture": "foredrag",
        "group": "gruppe",
    },
    "status": {"pending": "venter på bekreftelse", "confirmed": "bekreftet"},
    "event": {"given": "gitt", "withdrawn": "trukket tilbake"},
    "state": {"given": "gitt", "withdrawn": "trukket tilbake"},
    "source": {
        "staff": "registrert av senteret",
        "web_form": "skjema på nettsiden",
        "self_service": "innlogget med BankID",
        "email_link": "lenke i e-post",
    },
}

ACTOR_KIND_NB: Mapping[str, str] = {
    "staff": "ansatt",
    "client": "deg selv",
    "machine": "Vern (automatisk)",
}

ACTION_NB: Mapping[str, str] = {
    "person.create": "registrerte deg",
    "person.read": "leste opplysningene",
    "person.update": "endret opplysningene",
    "person.list": "så deg i en liste",
    "person.search": "fant deg i et søk",
    "person.assign_counsellor": "tildelte faglig veileder",
    "person.counselling_ended": "registrerte at veiledningen var avsluttet",
    "contact.create": "registrerte en kontakt",
    "contact.list": "leste kontaktene",
    "waitlist.create": "registrerte deg på ventelisten",
    "waitlist.read": "leste opplysningene på ventelisten",
    "waitlist.list": "så deg i ventelisten",
    "waitlist.assign_counsellor": "tildelte faglig veileder",
    "waitlist.promote": "gjorde deg til bruker av senteret",
    "waitlist.delete": "slettet plassen på ventelisten",
    "activity_registration.create": "registrerte påmeldingen",
    "activity_registration.list": "så deg på deltakerlisten",
    "activity_registration.delete": "slettet påmeldingen",
    "journal.lookup": "journalsystemet slo deg opp",
    "journal.reference": "journalsystemet fikk en referanse til deg",
    "journal.session_reported": "journalsystemet meldte en samtale",
    "journal.session_repeated": "journalsystemet meldte en samtale på nytt",
    "journal.counselling_ended": "journalsystemet meldte at veiledningen var avsluttet",
    "retention.delete": "slettet opplysninger etter lagringsreglene",
    "subject.export": "hentet opplysningene til en innsynsforespørsel",
    "subject.erase": "slettet opplysningene",
    "subscriber.create": "registrerte e-postadressen",
    "subscriber.list": "så deg i en liste",
    "subscriber.export": "hentet opplysningene til en innsynsforespørsel",
    "subscriber.erase": "slettet opplysningene",
    "subscriber.delete": "slettet e-postadressen",
    "consent.record": "registrerte et samtykke",
    "consent.read": "leste samtykkene",
    "subscription.request": "registrerte en påmelding til nyhetsbrev",
    "subscription.confirm": "bekreftet påmeldingen",
    "subscription.delete": "slettet påmeldingen",
    "subscription.send_links": "sendte lenker på e-post",
    "subscription.retention_delete": "slettet en ubekreftet påmelding",
}


def category_nb(code: str) -> str:
    return CATEGORY_NB.get(code, code)


def field_nb(code: str) -> str:
    return FIELD_NB.get(code, code)


def value_nb(field: str, value: str) -> str:
    return VALUE_NB.get(field, {}).get(value, value)


def action_nb(code: str) -> str:
    return ACTION_NB.get(code, code)
