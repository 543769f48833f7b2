"""The org profile in Norwegian bokmål: one label for every code and the phrases built from them.

Everything a person reads about a profile (the rendered personvernerklæring, `vern profile
check`, later the SPA through the notice's JSON form) takes its words from here, so a code is
never worded two ways. Tests check that every enum member has its words.

Retention phrases ("slettes 3 år etter siste kontakt med faglig veileder") are built from a
clock and a period:
- a calendar period: "slettes <period> etter <clock, after-form>";
- `immediately`: "slettes straks <clock, clause>" (data kept from an event on: "lagres ikke");
- `until_clock`: "oppbevares til <clock, clause>".
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple

import phonenumbers

from vern.kit.orgprofile.schema import Duration, LegalBasis, Period
from vern.kit.orgprofile.vocabulary import (
    Article6Basis,
    Article9Condition,
    ClientField,
    Clock,
    DataCategory,
    DataSubject,
    Module,
    NewsletterProvider,
    OutsideSystemKind,
    RecipientRole,
    Role,
    VernService,
)

ARTICLE6_NB: Mapping[Article6Basis, str] = {
    Article6Basis.consent: "samtykke fra deg",
    Article6Basis.contract: (
        "nødvendig for å oppfylle en avtale med deg, eller for å gjøre det du ber om før en "
        "avtale inngås"
    ),
    Article6Basis.legal_obligation: "nødvendig for å oppfylle en rettslig forpliktelse vi har",
    Article6Basis.vital_interests: "nødvendig for å verne om dine eller andres vitale interesser",
    Article6Basis.public_task: (
        "nødvendig for å utføre en oppgave i allmennhetens interesse eller for å utøve "
        "offentlig myndighet"
    ),
    Article6Basis.legitimate_interests: (
        "nødvendig for en berettiget interesse som veier tyngre enn hensynet til ditt personvern"
    ),
}

ARTICLE9_NB: Mapping[Article9Condition, str] = {
    Article9Condition.explicit_consent: "uttrykkelig samtykke fra deg",
    Article9Condition.employment_law: (
        "nødvendig for å oppfylle plikter og utøve rettigheter etter arbeidsretten"
    ),
    Article9Condition.vital_interests: (
        "nødvendig for å verne om vitale interesser når du ikke kan gi samtykke"
    ),
    Article9Condition.not_for_profit_body: (
        "behandling i en stiftelse, sammenslutning eller et annet ideelt organ"
    ),
    Article9Condition.made_public: "opplysninger du selv åpenbart har offentliggjort",
    Article9Condition.legal_claims: (
        "nødvendig for å fastsette, gjøre gjeldende eller forsvare rettskrav"
    ),
    Article9Condition.substantial_public_interest: (
        "nødvendig av hensyn til viktige allmenne interesser"
    ),
    Article9Condition.health_or_social_care: "nødvendig for helse- eller sosialtjenester",
    Article9Condition.public_health: "nødvendig av allmenne folkehelsehensyn",
    Article9Condition.archiving_research_statistics: (
        "nødvendig for arkivformål, forskning eller statistikk"
    ),
}

_LETTERS = "abcdefghij"


def article6_reference(basis: Article6Basis) -> str:
    """ "personvernforordningen artikkel 6 nr. 1 bokstav a" for consent, and so on."""
    letter = _LETTERS[list(Article6Basis).index(basis)]
    return f"personvernforordningen artikkel 6 nr. 1 bokstav {letter}"


def article9_reference(condition: Article9Condition) -> str:
    """ "personvernforordningen artikkel 9 nr. 2 bokstav a" for explicit consent, and so on."""
    letter = _LETTERS[list(Article9Condition).index(condition)]
    return f"personvernforordningen artikkel 9 nr. 2 bokstav {letter}"


def legal_basis_nb(basis: LegalBasis) -> str:
    """The articles and the profile's own words: "personvernforordningen artikkel 6 nr. 1
    bokstav a. Samtykke fra brukeren ved første kontakt"."""
    articles = [article6_reference(b) for b in basis.article6]
    articles += [article9_reference(c) for c in basis.article9]
    return f"{'; '.join(articles)}. {basis.reference_nb}"


DATA_CATEGORY_NB: Mapping[DataCategory, str] = {
    DataCategory.name: "navn",
    DataCategory.address: "adresse",
    DataCategory.email: "e-postadresse",
    DataCategory.phone: "telefonnummer",
    DataCategory.birth_date: "fødselsdato",
    DataCategory.gender: "kjønn",
    DataCategory.national_id: "fødselsnummer (personnummer)",
    DataCategory.free_text: "notater og meldinger i fritekst",
    DataCategory.contact_events: "tidspunkt og type for kontakt med oss (uten innhold)",
    DataCategory.intake_date: "innmeldingsdato eller mottatt dato",
    DataCategory.referral_source: "hvordan du fikk høre om oss",
    DataCategory.confidentiality_declaration: "signert taushetserklæring",
    DataCategory.consent_records: "samtykker du har gitt eller trukket tilbake",
    DataCategory.prior_use: "om du har brukt tilbudet tidligere",
    DataCategory.abuse_experience: (
        "om du selv har opplevd overgrep eller er pårørende, og type overgrep"
    ),
    DataCategory.help_services_contact: "om du er i kontakt med annet hjelpeapparat",
    DataCategory.call_metadata: "telefonnummer og samtalens lengde",
    DataCategory.appointments: "avtaler i kalenderen",
    DataCategory.billing: "fakturaopplysninger (antall samtaler, kurs eller foredrag)",
    DataCategory.online_identifiers: "avidentifiserte opplysninger om nettleser og besøk",
    DataCategory.survey_answers: "svar på spørreundersøkelser",
    DataCategory.employment: "opplysninger om arbeidsforhold, lønn og skatt",
    DataCategory.trade_union_membership: "fagforeningstilhørighet",
    DataCategory.job_application: "stillingssøknad",
}

DATA_SUBJECT_NB: Mapping[DataSubject, str] = {
    DataSubject.clients: "brukere",
    DataSubject.client_partners: "brukernes partnere",
    DataSubject.guardians: "foreldre og andre omsorgsgivere",
    DataSubject.waitlist_applicants: "personer på ventelisten",
    DataSubject.activity_participants: "deltakere på kurs, foredrag og aktiviteter",
    DataSubject.newsletter_subscribers: "mottakere av nyhetsbrev",
    DataSubject.website_visitors: "besøkende på nettstedet",
    DataSubject.callers: "personer som ringer eller sender meldinger til oss",
    DataSubject.correspondents: "personer vi utveksler e-post med",
    DataSubject.cooperation_partners: "samarbeidspartnere",
    DataSubject.visitors: "besøkende i lokalene våre",
    DataSubject.survey_respondents: "personer som svarer på spørreundersøkelser",
    DataSubject.employees: "ansatte",
    DataSubject.associates: "tilknyttede som får honorar",
    DataSubject.job_applicants: "personer som søker jobb hos oss",
}


class ClockWords(NamedTuple):
    after: str
    """Follows "etter": "siste kontakt med faglig veileder"."""
    clause: str
    """Follows "straks" or "til": "arrangementet er avsluttet"."""


CLOCK_NB: Mapping[Clock, ClockWords] = {
    Clock.last_counsellor_contact: ClockWords(
        "siste kontakt med faglig veileder", "du ikke lenger har kontakt med faglig veileder"
    ),
    Clock.counsellor_assigned: ClockWords(
        "at faglig veileder er tildelt", "faglig veileder er tildelt"
    ),
    Clock.counselling_ended: ClockWords(
        "at du har avsluttet veiledningen", "du har avsluttet veiledningen"
    ),
    Clock.activity_ended: ClockWords("at arrangementet er avsluttet", "arrangementet er avsluttet"),
    Clock.unsubscribed: ClockWords(
        "at du har meldt deg av eller adressen ikke lenger virker",
        "du melder deg av eller adressen ikke lenger virker",
    ),
    Clock.event_time: ClockWords("registreringen", "opplysningen er registrert"),
    Clock.last_activity: ClockWords("siste aktivitet", "det ikke lenger er aktivitet"),
    Clock.statistics_reported: ClockWords(
        "at statistikken er rapportert til Bufdir", "statistikken er rapportert til Bufdir"
    ),
    Clock.position_filled: ClockWords("at stillingen er besatt", "stillingen er besatt"),
    Clock.accounting_year_end: ClockWords(
        "utgangen av regnskapsåret", "regnskapsåret er avsluttet"
    ),
    Clock.employment_ended: ClockWords(
        "at arbeidsforholdet er avsluttet", "arbeidsforholdet er avsluttet"
    ),
    Clock.no_longer_needed: ClockWords(
        "at opplysningene ikke lenger trengs", "opplysningene ikke lenger trengs"
    ),
}

_UNITS: tuple[tuple[str, str, str], ...] = (
    ("years", "år", "år"),
    ("months", "måned", "måneder"),
    ("days", "dag", "dager"),
)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} og {parts[-1]}"


def duration_nb(duration: Duration) -> str:
    """ "3 år", "30 dager", "1 år og 6 måneder"."""
    parts = [
        f"{n} {one if n == 1 else many}"
        for attr, one, many in _UNITS
        if (n := getattr(duration, attr))
    ]
    return _join(parts)


def frequency_nb(every: Duration) -> str:
    """How often a task recurs: "hver dag", "hver 7. dag", "hvert år", "med 1 år og 6 måneders
    mellomrom"."""
    units = [(attr, n) for attr, _, _ in _UNITS if (n := getattr(every, attr))]
    if len(units) == 1:
        attr, n = units[0]
        every_word = "hvert" if attr == "years" else "hver"
        noun = {"years": "år", "months": "måned", "days": "dag"}[attr]
        return f"{every_word} {noun}" if n == 1 else f"{every_word} {n}. {noun}"
    return f"med {duration_nb(every)} mellomrom"


def retention_nb(clock: Clock, period: Period) -> str:
    """How long data is kept, in words: "slettes 3 år etter siste kontakt med faglig veileder"."""
    words = CLOCK_NB[clock]
    if isinstance(period, Duration):
        return f"slettes {duration_nb(period)} etter {words.after}"
    if period == "immediately":
        # Data whose clock is the event itself is never kept (video calls are not recorded).
        return "lagres ikke" if clock is Clock.event_time else f"slettes straks {words.clause}"
    return f"oppbevares til {words.clause}"


ROLE_NB: Mapping[Role, str] = {
    Role.counsellor: "faglig veileder",
    Role.coordinator: "koordinator",
    Role.manager: "daglig leder",
    Role.dpo: "personvernombudet",
}

# Where Vern keeps data, as a notice names the place ("Slettes automatisk fra ...").
VERN_SERVICE_NB: Mapping[VernService, str] = {
    VernService.registry: "vårt elektroniske register",
    VernService.consent: "vår egen database for samtykker og nyhetsbrev",
    VernService.dsar: "vårt register over forespørsler og avvik",
}

MODULE_NB: Mapping[Module, str] = {
    Module.registry: "kontaktregister",
    Module.waitlist: "venteliste",
    Module.activities: "aktiviteter og deltakerlister",
    Module.statistics: "anonym statistikk",
    Module.journal_vendor: "journalleverandør",
    Module.newsletter: "nyhetsbrev",
    Module.dsar: "innsyn, retting og sletting",
    Module.breaches: "avviksregister",
}

OUTSIDE_SYSTEM_KIND_NB: Mapping[OutsideSystemKind, str] = {
    OutsideSystemKind.paper_archive: "papirarkiv",
    OutsideSystemKind.archive_system: "arkivsystem",
    OutsideSystemKind.google_workspace: "Google Workspace",
    OutsideSystemKind.email: "e-post",
    OutsideSystemKind.accounting: "regnskapssystem",
    OutsideSystemKind.phone: "telefon",
    OutsideSystemKind.sms: "SMS-tjeneste",
    OutsideSystemKind.video: "videosamtaler",
    OutsideSystemKind.journal_vendor: "journalsystem",
    OutsideSystemKind.website: "nettsted",
    OutsideSystemKind.web_analytics: "nettstatistikk",
    OutsideSystemKind.course_booking: "påmeldingssystem",
}

RECIPIENT_ROLE_NB: Mapping[RecipientRole, str] = {
    RecipientRole.processor: "databehandler",
    RecipientRole.recipient: "mottaker",
}

NEWSLETTER_PROVIDER_NB: Mapping[NewsletterProvider, str] = {
    NewsletterProvider.sendgrid: "SendGrid",
    NewsletterProvider.mailchimp: "Mailchimp",
}

CLIENT_FIELD_NB: Mapping[ClientField, str] = {
    ClientField.name: "navn",
    ClientField.address: "adresse",
    ClientField.email: "e-postadresse",
    ClientField.phone: "telefonnummer",
    ClientField.birth_date: "fødselsdato",
    ClientField.gender: "kjønn",
    ClientField.national_id: "fødselsnummer",
    ClientField.intake_date: "innmeldingsdato",
    ClientField.referral_source: "hvordan brukeren fikk høre om senteret",
    ClientField.confidentiality_declaration: "signert taushetserklæring",
    ClientField.newsletter_opt_in: "ønsker nyhetsbrev",
}


def phone_nb(e164: str) -> str:
    """A phone number the way Norwegians write it: "+47 23 23 05 10"."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# Every enum the profile uses and its words; the kit's tests check that nothing is missing.
LABELS: Mapping[type[StrEnum], Mapping[Any, object]] = {
    Article6Basis: ARTICLE6_NB,
    Article9Condition: ARTICLE9_NB,
    DataCategory: DATA_CATEGORY_NB,
    DataSubject: DATA_SUBJECT_NB,
    Clock: CLOCK_NB,
    Role: ROLE_NB,
    VernService: VERN_SERVICE_NB,
    Module: MODULE_NB,
    OutsideSystemKind: OUTSIDE_SYSTEM_KIND_NB,
    RecipientRole: RECIPIENT_ROLE_NB,
    NewsletterProvider: NEWSLETTER_PROVIDER_NB,
    ClientField: CLIENT_FIELD_NB,
}


class RightWords(NamedTuple):
    title: str
    text: str
    reference: str


# The data subject's rights, in the order a notice lists them. Portability, objection and
# withdrawing consent apply only where a processing activity has the matching legal basis.
RIGHTS_NB: Mapping[str, RightWords] = {
    "access": RightWords(
        "Innsyn",
        "Du har rett til å få vite hvilke opplysninger vi har om deg, hva vi bruker dem til, "
        "og få en kopi av dem.",
        "personvernforordningen artikkel 15",
    ),
    "rectification": RightWords(
        "Retting",
        "Du har rett til å få rettet opplysninger som er feil, og supplert opplysninger som er "
        "ufullstendige.",
        "personvernforordningen artikkel 16",
    ),
    "erasure": RightWords(
        "Sletting",
        "Du har rett til å få slettet opplysninger om deg når vi ikke lenger trenger dem, når "
        "du trekker tilbake samtykket ditt, eller når vi ikke har adgang til å behandle dem.",
        "personvernforordningen artikkel 17",
    ),
    "restriction": RightWords(
        "Begrensning",
        "Du har rett til å be oss begrense bruken av opplysningene, for eksempel mens vi "
        "undersøker om de er riktige.",
        "personvernforordningen artikkel 18",
    ),
    "portability": RightWords(
        "Dataportabilitet",
        "Der vi behandler opplysninger på grunnlag av samtykke eller avtale, har du rett til å "
        "få opplysningene du har gitt oss i et strukturert, maskinlesbart format.",
        "personvernforordningen artikkel 20",
    ),
    "objection": RightWords(
        "Protest",
        "Der vi behandler opplysninger på grunnlag av en berettiget interesse, har du rett til "
        "å protestere mot behandlingen på grunn av din særlige situasjon.",
        "personvernforordningen artikkel 21",
    ),
    "withdraw_consent": RightWords(
        "Trekke tilbake samtykke",
        "Du kan når som helst trekke tilbake et samtykke du har gitt. Det vi gjorde før du "
        "trakk det tilbake, er fortsatt lovlig.",
        "personvernforordningen artikkel 7 nr. 3",
    ),
    "complaint": RightWords(
        "Klage til Datatilsynet",
        "Mener du at vi behandler opplysningene dine i strid med personvernregelverket, kan du "
        "klage til Datatilsynet (www.datatilsynet.no).",
        "personvernforordningen artikkel 77",
    ),
}


# Phrases of the rendered notice that come from the profile's settings rather than its codes.


def sweep_nb(service: VernService) -> str:
    return f"Slettes automatisk fra {VERN_SERVICE_NB[service]}."


def notify_nb(vendor: str) -> str:
    return f"{vendor} får samtidig beskjed om å slette sin kopi."


def task_nb(role: Role, system_name: str, every: Duration) -> str:
    who = ROLE_NB[role]
    return (
        f"{who[0].upper()}{who[1:]} går gjennom «{system_name}» {frequency_nb(every)} "
        "og sletter det som skal slettes."
    )


def legal_hold_nb(law: str) -> str:
    return f"Vi er pålagt å oppbevare dem etter {law}."


def answer_nb(answer: Duration) -> str:
    return f"Vi svarer kostnadsfritt og senest innen {duration_nb(answer)}."


def extension_nb(extension: Duration) -> str:
    return (
        "Er forespørselen særlig omfattende, kan vi forlenge fristen med inntil "
        f"{duration_nb(extension)}. Da får du vite det, og hvorfor, før den første fristen går ut."
    )


def breach_authority_nb(hours: int) -> str:
    return (
        "Kommer personopplysninger på avveie, melder vi avviket til Datatilsynet innen "
        f"{hours} timer etter at vi oppdaget det."
    )


def breach_subjects_nb(hours: int | None) -> str:
    when = f"innen {hours} timer" if hours else "uten ugrunnet opphold"
    return f"Er det høy risiko for deg, varsler vi deg {when}."


def erasure_nb(*, immediately: bool, four_eyes: bool) -> str:
    if immediately:
        return "Ber du om sletting, sletter vi opplysningene straks."
    if four_eyes:
        return (
            "Ber du om sletting, kontrollerer to av oss forespørselen før opplysningene slettes, "
            "innen fristen nedenfor."
        )
    return "Ber du om sletting, sletter vi opplysningene innen fristen nedenfor."


def guardian_consent_nb(under: int) -> str:
    return (
        f"Når vi behandler opplysninger om barn under {under} år, skjer det med samtykke fra "
        "foreldre eller andre omsorgsgivere."
    )


ANONYMITY_NB = "Du har rett til å være anonym i kontakten med oss der tilbudet gjør det mulig."
NO_DPO_NB = "Vi har ikke eget personvernombud. Spørsmål om personvern sender du til {controller}."
ANONYMOUS_RECORDS_NB = "ingen opplysninger som kan knyttes til deg (anonyme registreringer)"
