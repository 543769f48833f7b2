"""The breach register's rules: the 72-hour clock in elapsed hours, reasons for a late
notification, the timeline, encryption of free text, audit, the draft notification."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.clock import OSLO
from vern.kit.testing.tokens import Tokens

from .conftest import ASSESSMENT, DESCRIPTION, MEASURES, create_breach, hours_ago, report

pytestmark = pytest.mark.anyio

# Saturday 24 October 2026, noon in Oslo (summer time, UTC+2); summer time ends on Sunday the 25th.
BEFORE_DST_END = datetime(2026, 10, 24, 12, 0, tzinfo=OSLO)


async def patch(
    client: httpx.AsyncClient, auth: Tokens, breach_id: str, **fields: object
) -> httpx.Response:
    return await client.patch(
        f"/dsar/breaches/{breach_id}", json=fields, headers=auth.staff("dpo", sub="dpo-1")
    )


async def test_the_authority_deadline_is_72_elapsed_hours_across_the_october_dst_change(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, detected_at=BEFORE_DST_END.isoformat())
    # 72 hours after 10:00 UTC on the 24th is 10:00 UTC on the 27th: 11:00 in Oslo, not noon.
    assert breach["authority_deadline_at"] == "2026-10-27T10:00:00Z"
    assert breach["detected_at"] == "2026-10-24T10:00:00Z"


async def test_a_notification_in_the_last_wall_clock_hour_after_dst_is_late_and_needs_reasons(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, detected_at=BEFORE_DST_END.isoformat())
    # 11:30 Oslo time on the 27th: before noon on the wall clock, but 72.5 hours after detection.
    notified = datetime(2026, 10, 27, 11, 30, tzinfo=OSLO).isoformat()
    response = await patch(client, auth, breach["id"], authority_notified_at=notified)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["late_notification_reasons"]


async def test_a_notification_within_72_elapsed_hours_is_on_time(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, detected_at=BEFORE_DST_END.isoformat())
    notified = datetime(2026, 10, 27, 10, 59, tzinfo=OSLO).isoformat()
    response = await patch(client, auth, breach["id"], authority_notified_at=notified)
    assert response.status_code == 200, response.text
    assert response.json()["notified_late"] is False
    assert response.json()["authority_notified_at"] == "2026-10-27T09:59:00Z"


async def test_a_late_notification_without_reasons_is_422_and_nothing_is_stored(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, detected_at=hours_ago(100).isoformat())
    response = await patch(
        client, auth, breach["id"], authority_notified_at=hours_ago(1).isoformat(), measures="x"
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "late_notification_reasons"
    headers = auth.staff("manager")
    stored = (await client.get(f"/dsar/breaches/{breach['id']}", headers=headers)).json()
    assert stored["authority_notified_at"] is None
    assert stored["measures"] is None
    timeline = await client.get(f"/dsar/breaches/{breach['id']}/timeline", headers=headers)
    assert [e["action"] for e in timeline.json()] == ["created"]


async def test_a_late_notification_with_reasons_is_recorded_as_late(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, detected_at=hours_ago(100).isoformat())
    response = await patch(
        client, auth, breach["id"], authority_notified_at=hours_ago(1).isoformat(),
        late_notification_reasons="Omfanget ble først klart etter gjennomgang av loggene",
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["notified_late"] is True


@pytest.mark.parametrize(
    ("field", "when"),
    [("authority_notified_at", -200), ("subjects_notified_at", -200), ("authority_notified_at", 5)],
)
async def test_a_notification_before_detection_or_in_the_future_is_422(
    client: httpx.AsyncClient, auth: Tokens, field: str, when: float
) -> None:
    breach = await create_breach(client, auth, detected_at=hours_ago(10).isoformat())
    moment = (hours_ago(0) + timedelta(hours=when)).isoformat()
    response = await patch(client, auth, breach["id"], **{field: moment})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_a_breach_detected_in_the_future_is_422(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    future = (hours_ago(0) + timedelta(days=1)).isoformat()
    response = await client.post(
        "/dsar/breaches", json=report(detected_at=future), headers=auth.staff("manager")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "detected_at"


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"],
    ids=["year 1", "year 9999"],
)
async def test_a_moment_without_a_utc_form_is_422_not_500(
    client: httpx.AsyncClient, auth: Tokens, moment: str
) -> None:
    response = await client.post(
        "/dsar/breaches", json=report(detected_at=moment), headers=auth.staff("manager")
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0] == {"field": "detected_at", "message": "is out of range"}
    breach = await create_breach(client, auth, detected_at=hours_ago(10).isoformat())
    response = await patch(client, auth, breach["id"], authority_notified_at=moment)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "authority_notified_at"


async def test_data_categories_come_from_the_profiles_vocabulary(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = report(data_categories=["name", "shoe_size"])
    response = await client.post("/dsar/breaches", json=body, headers=auth.staff("manager"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("data_categories")
    assert "shoe_size" not in response.text


async def test_a_naive_detection_time_is_422(client: httpx.AsyncClient, auth: Tokens) -> None:
    body = report(detected_at="2026-11-01T12:00:00")
    response = await client.post("/dsar/breaches", json=body, headers=auth.staff("manager"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "detected_at"


async def test_the_description_may_not_be_emptied(client: httpx.AsyncClient, auth: Tokens) -> None:
    breach = await create_breach(client, auth)
    response = await patch(client, auth, breach["id"], description=None)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "description"


async def test_risk_decides_who_must_be_told(client: httpx.AsyncClient, auth: Tokens) -> None:
    breach = await create_breach(client, auth, detected_at=BEFORE_DST_END.isoformat())
    assert breach["authority_notification_required"] is True  # not yet assessed
    assert breach["subjects_notification_required"] is False
    none = (await patch(client, auth, breach["id"], risk="none")).json()
    assert none["authority_notification_required"] is False
    high = (await patch(client, auth, breach["id"], risk="high_risk")).json()
    assert high["authority_notification_required"] is True
    assert high["subjects_notification_required"] is True
    # Nok. Bergen: "brukere som er berørte varsles om dette innen 72 timer".
    assert high["subjects_deadline_at"] == "2026-10-27T10:00:00Z"


async def test_the_timeline_records_who_changed_which_fields_but_not_the_values(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, "counsellor", sub="counsellor-1")
    await patch(client, auth, breach["id"], risk="high_risk", risk_assessment=ASSESSMENT)
    await patch(client, auth, breach["id"], measures=MEASURES, risk="high_risk")
    await patch(client, auth, breach["id"], measures=MEASURES)  # no change: no entry
    response = await client.get(
        f"/dsar/breaches/{breach['id']}/timeline", headers=auth.staff("manager")
    )
    events = response.json()
    assert [(e["action"], e["actor"], e["fields"]) for e in events] == [
        ("created", "counsellor-1", [
            "affected_count", "affected_subject_ids", "data_categories", "description",
            "detected_at", "discovered_by", "records_count",
        ]),
        ("updated", "dpo-1", ["risk", "risk_assessment"]),
        ("updated", "dpo-1", ["measures"]),
    ]  # fmt: skip
    for secret in (DESCRIPTION, ASSESSMENT, MEASURES, "high_risk"):
        assert secret not in response.text


async def test_free_text_is_not_stored_in_plaintext(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    breach = await create_breach(client, auth)
    await patch(client, auth, breach["id"], measures=MEASURES, risk_assessment=ASSESSMENT)
    rows = db_session.execute(text("SELECT * FROM breach")).all()
    stored = repr(rows) + repr(db_session.execute(text("SELECT * FROM breach_event")).all())
    for secret in (DESCRIPTION, "Kari Nordmann", MEASURES, ASSESSMENT, "Ola på resepsjonen"):
        assert secret not in stored
    read = (await client.get(f"/dsar/breaches/{breach['id']}", headers=auth.staff("dpo"))).json()
    assert read["description"] == DESCRIPTION
    assert read["measures"] == MEASURES


async def test_every_read_and_write_is_audited_by_id(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    breach = await create_breach(client, auth)
    path = f"/dsar/breaches/{breach['id']}"
    headers = auth.staff("dpo")
    await client.get(path, headers=headers)
    await client.patch(path, json={"measures": MEASURES}, headers=headers)
    await client.get(path + "/notification", headers=headers)
    await client.get("/dsar/breaches", headers=headers)
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.subject_type == "breach").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.subject_id) for e in events] == [
        ("breach.create", breach["id"]),
        ("breach.read", breach["id"]),
        ("breach.update", breach["id"]),
        ("breach.draft.read", breach["id"]),
        ("breach.list", None),
    ]
    assert all(e.reason is None for e in events)


async def test_the_register_is_not_there_when_the_module_is_off(
    client: httpx.AsyncClient, auth: Tokens, profile_with: object, vern_app: object
) -> None:
    profile = vern_app.state.profile  # type: ignore[attr-defined]
    profile_with(modules=profile.modules.model_copy(update={"breaches": False}))  # type: ignore[operator]
    response = await client.post("/dsar/breaches", json=report(), headers=auth.staff("manager"))
    assert response.status_code == 404
    assert (await client.get("/dsar/breaches", headers=auth.staff("manager"))).status_code == 404


async def test_the_draft_notification_has_the_forms_fields_and_the_dpo(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, risk="high_risk", measures=MEASURES,
                                 consequences="Kan bli oppsøkt av overgriper")  # fmt: skip
    headers = auth.staff("dpo")
    draft = await client.get(f"/dsar/breaches/{breach['id']}/notification", headers=headers)
    body = draft.json()
    assert body["controller_name"] == "Nok. Bergen"
    assert body["contact"]["role_nb"] == "Personvernombud"
    assert body["contact"]["email"]
    assert [c["label_nb"] for c in body["data_categories"]][:2] == ["navn", "e-postadresse"]
    assert body["affected_count"] == 1
    assert body["records_count"] == 3
    assert body["likely_consequences"] == "Kan bli oppsøkt av overgriper"
    assert body["measures"] == MEASURES
    assert body["description"] == DESCRIPTION


async def test_the_draft_notification_page_is_norwegian_and_escapes_free_text(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, description="<script>alert(1)</script> feilsendt")
    response = await client.get(
        f"/dsar/breaches/{breach['id']}/notification.html", headers=auth.staff("manager")
    )
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for heading in ("Beskrivelse av avviket", "Konsekvenser", "Tiltak", "Kontaktinformasjon"):
        assert heading in page
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


async def test_unknown_breach_is_404(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.get(f"/dsar/breaches/{uuid.uuid4()}", headers=auth.staff("manager"))
    assert response.status_code == 404


async def test_no_free_text_reaches_the_logs(
    client: httpx.AsyncClient,
    auth: Tokens,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    breach = await create_breach(client, auth)
    await patch(client, auth, breach["id"], measures=MEASURES, risk_assessment=ASSESSMENT)
    await patch(client, auth, breach["id"], authority_notified_at=hours_ago(0.5).isoformat(),
                late_notification_reasons="Kari var syk")  # fmt: skip
    bad = report(description="Kari Nordmann " * 2000)
    await client.post("/dsar/breaches", json=bad, headers=auth.staff("manager"))
    await client.get(f"/dsar/breaches/{breach['id']}/notification.html", headers=auth.staff("dpo"))
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert breach["id"] in logged  # the logs are there, by id
    for secret in ("Kari", "kari.nordmann", MEASURES, "Ola på resepsjonen"):
        assert secret not in logged, secret


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE breach_event SET actor = 'someone-else'",
        "DELETE FROM breach_event",
        "DELETE FROM breach",
    ],
)
async def test_the_database_refuses_to_rewrite_the_timeline_or_delete_a_breach(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, statement: str
) -> None:
    await create_breach(client, auth)
    with pytest.raises(DBAPIError), db_session.begin_nested():
        db_session.execute(text(statement))
