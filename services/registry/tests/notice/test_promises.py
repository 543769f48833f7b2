"""Each reference notice's promises appear in the notice Vern renders from its profile.

The seeds (shared/seeds/*.txt) are the centres' own notices. Each list below is what the seed
promises, written as the rendered notice must say it; a profile that drops or changes a promise
makes its notice, and so this test, fail.
"""

from __future__ import annotations

import pytest

from vern.kit.orgprofile import Duration, OrgProfile
from vern.kit.orgprofile.wording import DATA_CATEGORY_NB, RECIPIENT_ROLE_NB
from vern.registry.notice.service import render_html

from .conftest import notice_of, reference_profile, visible_text

NOKBERGEN_PROMISES = [
    # "alle brukere slettes automatisk fra ventelisten 30 dager etter at faglig veileder er tildelt"
    "Slettes 30 dager etter at faglig veileder er tildelt.",
    # "all informasjon om en bruker fjernes etter 3 år uten at vedkommende har hatt kontakt med
    # sin faglige veileder"
    "Slettes 3 år etter siste kontakt med faglig veileder.",
    # Newsletter: "slettes når du sier opp abonnementet ... om vi får tilbakemelding om at den
    # ikke er aktiv eller feiler mottak av andre grunner"
    "Slettes straks du melder deg av eller adressen ikke lenger virker.",
    "Slettes automatisk fra vår egen database for samtykker og nyhetsbrev.",
    "SendGrid (databehandler)",
    # "Meldinger til vår SMS-tjeneste slettes automatisk etter 30 dager uten aktivitet."
    "Meldinger til SMS-tjenesten Slettes 30 dager etter siste aktivitet.",
    # "Disse listene makuleres når aktiviteten er gjennomført."
    "Deltakerlister for aktiviteter Oppbevares til arrangementet er avsluttet.",
    # "Disse listene makuleres når statistikken er innrapportert."
    "Listene over besøkende Oppbevares til statistikken er rapportert til Bufdir.",
    # "Alle stillingssøknader blir makulert etter ansettelse av ny medarbeider."
    "Oppbevares til stillingen er besatt.",
    # "kan kontaktes på personvernombud@nokbergen.no"
    "Personvernombudet kan kontaktes på personvernombud@nokbergen.no",
    # "Krav fra den registrerte skal besvares kostnadsfritt og senest innen 30 dager."
    "Vi svarer kostnadsfritt og senest innen 30 dager.",
    # "Registrere avviket til datatilsynet ... innen 72 timer etter avdekking"
    "melder vi avviket til Datatilsynet innen 72 timer etter at vi oppdaget det",
    # "brukere som er berørte varsles om dette innen 72 timer"
    "Er det høy risiko for deg, varsler vi deg innen 72 timer.",
    # "be om sletting av personopplysninger, og dette skal imøtekommes umiddelbart"
    "Ber du om sletting, sletter vi opplysningene straks.",
    # "barn under 16 år skjer det etter samtykke fra omsorgsgivere"
    "barn under 16 år, skjer det med samtykke fra foreldre eller andre omsorgsgivere",
    # "Brukere av Nok. Bergen har rett til å være anonyme."
    "Du har rett til å være anonym",
    # Google Workplace and the contact register's databases: "servere som ligger i EU"
    "Google (databehandler, lagrer i EU)",
    # "a2hosting.com er vår driftsleverandør ... innenfor EU"
    "a2hosting.com (databehandler, lagrer i EU)",
    "Google (Google Analytics) (databehandler)",
    "Google (Google Forms) (databehandler, lagrer i EU)",
    # Payroll: "fagforeningstilhørighet", an Art. 9 category
    "fagforeningstilhørighet",
    "Nødvendig for å oppfylle plikter og utøve rettigheter etter arbeidsretten "
    "(personvernforordningen artikkel 9 nr. 2 bokstav b)",
    "Vi er pålagt å oppbevare dem etter bokføringsloven § 13.",
    # "Anonymiserte personopplysninger vil bli slettet når disse ikke lenger er nødvendige for
    # rapportering til Bufdir og statistikk."
    "Anonym statistikk Oppbevares til opplysningene ikke lenger trengs. "
    "Slettes automatisk fra vårt elektroniske register.",
    # "Personalmapper blir ryddet ved utløp av arbeidsforholdet."
    "Oppbevares til arbeidsforholdet er avsluttet.",
    "Vi er pålagt å oppbevare dem etter arkivloven.",
    # "Ved fratreden slettes ansattes epostkontoer."
    "ansattes e-postkontoer slettes ved fratreden",
    "Nok. Bergen, ved daglig leder, er behandlingsansvarlig",
    "E-post: post@nokbergen.no",
    "Telefon: +47 55 90 49 90",
    "St. Jakobsplass 9",
    "5008 Bergen",
    "Klage til Datatilsynet.",
]

TRYGGERE_PROMISES = [
    # "Notatene fra samtalene makuleres 3 år etter at bruker har avsluttet veiledningen hos oss."
    "Kontaktdata, partners navn og telefon, og notater fra veiledningssamtalene "
    "Slettes 3 år etter at du har avsluttet veiledningen.",
    "Aspit AS får samtidig beskjed om å slette sin kopi.",
    # "Notatene føres enten på papir ..."
    "Daglig leder går gjennom «Samtalenotater på papir» hver måned",
    # "Aspit AS ... vil behandle dataene konfidensielt"
    "Aspit AS (databehandler): Leverandør av det elektroniske journalsystemet",
    # "Confrere er leverandøren av den tekniske løsningen for videosamtalen"
    "Confrere (databehandler)",
    # "Videosamtalene blir ikke tatt opp og lagret."
    "Videosamtaler, som ikke tas opp Lagres ikke.",
    # "Når du logger deg på med BankID vil ditt personnummer vises for terapeuten."
    "fødselsnummer (personnummer)",
    # "Etter 3 måneder vil dette slettes." (the phone's log)
    "Telefonnummer og samtalens lengde i telefonens logg Slettes 3 måneder etter registreringen.",
    "Daglig leder går gjennom «Stiftelsens telefon» hver 7. dag",
    # "Regnskapsbilagene lagres iht. bokføringsregelverket."
    "Slettes 5 år etter utgangen av regnskapsåret. "
    "Vi er pålagt å oppbevare dem etter bokføringsloven § 13.",
    "Flexi AS (databehandler): Regnskapsfører",
    "Trans Revisjon AS (mottaker): Revisor",
    "Tripletex (databehandler): Regnskapssystem",
    # Newsletter: "Mailchimp er databehandler ... slettes når du sier opp abonnementet ...
    # slettes også om vi får tilbakemelding om at den ikke er aktiv"
    "Mailchimp (databehandler)",
    "Slettes straks du melder deg av eller adressen ikke lenger virker.",
    "Nyhetsbrev fra Stiftelsen Tryggere, cirka 2\u20134 ganger per halvår.",
    # "Opplysningene lagres til arrangementet er avsluttet."
    "Påmeldinger og bestillinger av kurs og foredrag Oppbevares til arrangementet er avsluttet.",
    "Dedia AS (databehandler)",
    "CheckIn (databehandler)",
    # "Google Analytics"
    "Google (Google Analytics) (databehandler)",
    # Counselling rests on consent, the notes on explicit consent (sensitive data)
    "Samtykke fra deg (personvernforordningen artikkel 6 nr. 1 bokstav a)",
    "Uttrykkelig samtykke fra deg (personvernforordningen artikkel 9 nr. 2 bokstav a)",
    # "navn og telefonnummer til brukernes partnere"
    "Brukere, brukernes partnere",
    # "minst hvert år gjennomgå og slette unødvendig innhold i e-postkassen"
    "Daglig leder går gjennom «E-postkassene til medarbeiderne» hvert år",
    # "De som er registrert ... har rett på innsyn ... rettet, slettet eller supplert"
    "Innsyn.",
    "Retting.",
    "Sletting.",
    "Stiftelsen Tryggere, ved daglig leder, er behandlingsansvarlig",
    "Vi har ikke eget personvernombud.",
    "E-post: post@tryggere.no",
    "Telefon: +47 23 23 05 10",
    "Jordal Terrasse 8",
    "0658 Oslo",
]


@pytest.mark.parametrize(
    ("name", "promises"),
    [("nokbergen", NOKBERGEN_PROMISES), ("tryggere", TRYGGERE_PROMISES)],
)
def test_every_promise_of_the_centres_notice_appears_in_the_rendered_notice(
    name: str, promises: list[str]
) -> None:
    text = visible_text(render_html(notice_of(reference_profile(name))))

    missing = [promise for promise in promises if promise not in text]

    assert missing == []


_UNITS = {"years": ("år", "år"), "months": ("måned", "måneder"), "days": ("dag", "dager")}


def _period_words(period: Duration) -> list[str]:
    return [
        f"{n} {one if n == 1 else many}"
        for unit, (one, many) in _UNITS.items()
        if (n := getattr(period, unit))
    ]


def test_every_retention_period_the_profile_enforces_appears_with_its_subject(
    profile: OrgProfile, page_text: str
) -> None:
    table = page_text[page_text.index("Sletteregler, og hvordan vi sørger for at de holdes") :]
    for rule in profile.retention_rules.values():
        row = table[table.index(f"{rule.what_nb} ") :]
        first_sentence = row[len(rule.what_nb) :].split(".")[0]
        if isinstance(rule.period, Duration):
            for words in _period_words(rule.period):
                assert f"Slettes {words}" in first_sentence, rule.what_nb
        elif rule.period == "until_clock":
            assert first_sentence.strip().startswith("Oppbevares til "), rule.what_nb
        else:
            assert first_sentence.strip().startswith(("Slettes straks ", "Lagres ikke")), (
                rule.what_nb
            )


def test_every_activity_appears_with_its_purpose_and_retention(
    profile: OrgProfile, page_text: str
) -> None:
    notice = notice_of(profile)
    for activity, shown in zip(
        profile.processing_activities.values(), notice.activities, strict=True
    ):
        assert activity.name_nb in page_text
        assert " ".join(activity.purpose_nb.split()) in page_text
        assert f"Hvor lenge {shown.retention[0].upper()}{shown.retention[1:]}." in page_text


def test_every_data_category_and_recipient_appears_in_norwegian(
    profile: OrgProfile, page_text: str
) -> None:
    for activity in profile.processing_activities.values():
        for category in activity.data_categories:
            assert DATA_CATEGORY_NB[category] in page_text.lower()
        for recipient in activity.recipients:
            assert f"{recipient.name} ({RECIPIENT_ROLE_NB[recipient.role]}" in page_text


def test_every_enforcer_of_a_rule_is_named_in_the_notice(
    profile: OrgProfile, page_text: str
) -> None:
    for rule in notice_of(profile).retention:
        assert rule.enforcement
        for sentence in rule.enforcement:
            assert sentence in page_text


def test_notice_never_shows_a_code_in_place_of_words(page_text: str) -> None:
    assert "_" not in page_text.replace("mailto:", "")
