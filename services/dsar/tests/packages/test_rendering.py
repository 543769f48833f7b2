"""The access package's readable page: every exported value under a Norwegian label, times in
Oslo time, who read the data, and an accessible outline in bokmål without scripts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from vern.dsar.packages import labels
from vern.dsar.packages.builder import build_package
from vern.dsar.packages.rendering import NOTHING, render_html
from vern.dsar.packages.schemas import AccessPackage, PackageSubject
from vern.kit.contract import (
    AccessLogEntry,
    CategoryExport,
    ExportResult,
    RecipientExport,
    SubjectExport,
)

from ..requests.conftest import profile
from .page import outline_problems, read

SUBJECT = PackageSubject(national_id="15076500565", email="solveig.tveit@example.org")
RECORD = {
    "full_name": "Solveig Tveit",
    "email": "solveig.tveit@example.org",
    "phone": "+4791234567",
    "gender": "female",
    "intake_date": "2026-01-31",
    "last_counsellor_contact_at": "2026-03-29T00:30:00+00:00",  # 02:30 the night clocks change
    "confidentiality_declaration": {"signed_date": "2026-01-31", "version": "v2"},
    "newsletter_opt_in": True,
    "address": None,
}
CONTACTS = {"contacts": [{"kind": "session", "occurred_at": "2026-07-01T08:00:00+00:00"}]}


def category(name: str, data: dict[str, object], **extra: object) -> CategoryExport:
    return CategoryExport.model_validate(
        {
            "category": name,
            "purpose": "Drift av senteret",
            "legal_basis": "personvernforordningen artikkel 6 nr. 1 bokstav a. Samtykke.",
            "source": "Brukeren selv",
            "recipients": [],
            "retention_due_date": None,
            "data": data,
            **extra,
        }
    )


def registry_export() -> ExportResult:
    return ExportResult(
        service="registry",
        request_id="r-1",
        subjects=[
            SubjectExport(
                subject_id=str(uuid.uuid4()),
                categories=[
                    category(
                        "client_record",
                        RECORD,
                        activity="Kontaktregister",
                        retention="slettes 3 år etter siste kontakt med faglig veileder",
                        retention_due_date=date(2029, 3, 29),
                        recipient_details=[
                            RecipientExport(
                                name="Google", role="processor", task="Drift", location="EU"
                            )
                        ],
                    ),
                    category("contact_events", CONTACTS),
                ],
                access_log=[
                    AccessLogEntry(
                        occurred_at=datetime(2026, 7, 1, 8, 5, tzinfo=UTC),
                        actor_kind="staff",
                        roles="counsellor",
                        action="person.read",
                        break_glass=True,
                    ),
                    AccessLogEntry(
                        occurred_at=datetime(2026, 1, 31, 9, 0, tzinfo=UTC),
                        actor_kind="staff",
                        roles="coordinator,manager",
                        action="person.create",
                        break_glass=False,
                    ),
                ],
            )
        ],
    )


def package(centre: str = "nokbergen", **exports: ExportResult) -> AccessPackage:
    return build_package(
        request_id=uuid.uuid4(),
        subject=SUBJECT,
        exports=exports
        or {
            "registry": registry_export(),
            "consent": ExportResult(service="consent", request_id="r-1", subjects=[]),
        },
        profile=profile(centre),
        generated_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
    )


def test_every_exported_value_is_shown_under_its_norwegian_label() -> None:
    text = read(render_html(package())).text
    for value in ("Solveig Tveit", "solveig.tveit@example.org", "+4791234567", "v2"):
        assert value in text
    for field in ("full_name", "email", "phone", "gender", "intake_date", "newsletter_opt_in"):
        assert labels.FIELD_NB[field] in text
        assert f" {field} " not in f" {text} "
    assert "Kjønn kvinne" in text  # a code is shown in words
    assert "Ønsker nyhetsbrev ja" in text
    assert f"Adresse {NOTHING}" in text  # a field held empty is still shown
    assert "Type samtale" in text
    assert labels.CATEGORY_NB["client_record"] in text
    assert labels.CATEGORY_NB["contact_events"] in text


def test_dates_and_times_are_shown_in_oslo_time() -> None:
    text = read(render_html(package())).text
    assert "Innmeldingsdato 31.01.2026" in text
    assert (
        "Siste kontakt med faglig veileder 29.03.2026 kl. 01:30" in text
    )  # CET, before the change
    assert "01.07.2026 kl. 10:00" in text  # the contact, CEST
    assert "Laget 02.07.2026 kl. 00:30" in text  # generated after midnight in Oslo
    assert "Slettes senest 29.03.2029." in text


def test_the_page_says_why_until_when_and_who_else_gets_the_data() -> None:
    text = read(render_html(package())).text
    assert "Behandling Kontaktregister" in text
    assert "Formål Drift av senteret" in text
    assert "Behandlingsgrunnlag personvernforordningen artikkel 6 nr. 1 bokstav a" in text
    assert "Kilde Brukeren selv" in text
    assert "Google (databehandler): Drift. Opplysningene ligger i EU." in text
    assert "Slettes 3 år etter siste kontakt med faglig veileder." in text


def test_who_read_the_data_is_listed_oldest_first_with_roles_and_break_glass_marked() -> None:
    text = read(render_html(package())).text
    created = text.index("31.01.2026 kl. 10:00 ansatt (koordinator, daglig leder) registrerte deg")
    read_at = text.index(
        "01.07.2026 kl. 10:05 ansatt (faglig veileder) leste opplysningene ja, lest uten tildeling"
    )
    assert created < read_at


def test_a_store_holding_nothing_says_so() -> None:
    text = read(render_html(package())).text
    assert (
        "Vår egen database for samtykker og nyhetsbrev Vi har ingen opplysninger om deg her."
        in text
    )


@pytest.mark.parametrize("centre", ["nokbergen", "tryggere"])
def test_the_page_is_bokmal_well_formed_without_scripts_and_with_an_outline(centre: str) -> None:
    page = read(render_html(package(centre)))
    assert page.lang == "nb"
    assert "script" not in page.tags
    assert not page.unclosed
    assert not page.stray
    assert outline_problems(page.headings) == []
    assert page.headings.count(2) >= 5


def test_the_controller_and_the_places_outside_vern_come_from_the_profile() -> None:
    nokbergen = profile("nokbergen")
    built = package()
    assert built.controller is not None
    assert built.controller.name == nokbergen.org.name
    assert nokbergen.dpo is not None
    assert built.controller.dpo_email == nokbergen.dpo.email
    places = {p.system: p for p in built.outside_places}
    assert "paper_archive" in places
    assert (
        "Deltakerlister for aktiviteter og arrangementer" in places["paper_archive"].activities_nb
    )
    # the visitor list is anonymous: no place is named for it
    assert "Liste over besøkende" not in places["paper_archive"].activities_nb
    text = read(render_html(built)).text
    assert f"Behandlingsansvarlig {nokbergen.org.name}" in text
    assert "telefon +47 55 90 49 90" in text  # written the Norwegian way
    assert places["paper_archive"].name in text


def test_a_package_sealed_before_the_controller_was_added_still_renders() -> None:
    old = {
        "request_id": str(uuid.uuid4()),
        "generated_at": "2026-01-05T09:30:00Z",
        "subject": SUBJECT.model_dump(),
        "services": {"registry": registry_export().model_dump(mode="json")},
    }
    page = read(render_html(AccessPackage.model_validate(old)))
    assert "Solveig Tveit" in page.text
    assert outline_problems(page.headings) == []
