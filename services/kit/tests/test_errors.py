"""Problem types: a raise names a stable URI the client acts on, answered as the problem's
`type` and listed in the operation's OpenAPI answer; without one the type stays about:blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from vern.kit.app import create_service_app
from vern.kit.errors import Conflict, Forbidden, NotFound, ProblemType, problem_responses
from vern.kit.settings import ServiceSettings

TAKEN = ProblemType("urn:vern:problem:item-taken", 409, "The item is already taken")
NOT_YOURS = ProblemType("urn:vern:problem:item-not-yours", 403, "Someone else holds the item")


def _client(tmp_path: Path) -> TestClient:
    router = APIRouter()

    @router.get(
        "/items/{item_id}",
        responses=problem_responses(NotFound, Conflict, types=[TAKEN]),
    )
    def get_item(item_id: int) -> dict[str, int]:
        if item_id == 1:
            raise Conflict("item 1 was taken at noon", problem_type=TAKEN)
        if item_id == 2:
            raise Conflict("something else changed")
        return {"id": item_id}

    settings = ServiceSettings.model_validate(
        {
            "environment": "test",
            "database_url": f"sqlite:///{tmp_path}/data.db",
            "keystore_url": f"sqlite:///{tmp_path}/keys.db",
        }
    )
    app = create_service_app(name="demo", settings=settings, routers=[router], description="")
    return TestClient(app)


def test_a_raise_with_a_problem_type_answers_with_its_uri_and_title(tmp_path: Path) -> None:
    with _client(tmp_path) as http:
        response = http.get("/demo/items/1")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:vern:problem:item-taken",
        "title": "The item is already taken",
        "status": 409,
        "detail": "item 1 was taken at noon",
    }


def test_a_raise_without_a_problem_type_stays_about_blank(tmp_path: Path) -> None:
    with _client(tmp_path) as http:
        body = http.get("/demo/items/2").json()
    assert body["type"] == "about:blank"
    assert body["title"] == "Conflict"


def test_the_openapi_answer_lists_the_operations_problem_types_under_their_status(
    tmp_path: Path,
) -> None:
    with _client(tmp_path) as http:
        schema = http.get("/demo/openapi.json").json()
    answers = schema["paths"]["/demo/items/{item_id}"]["get"]["responses"]
    assert "urn:vern:problem:item-taken" in answers["409"]["description"]
    assert "urn:vern:problem:" not in answers["404"]["description"]
    assert (
        "urn:vern:problem:"
        in schema["components"]["schemas"]["Problem"]["properties"]["type"]["description"]
    )


def test_a_problem_type_must_match_the_status_it_is_raised_or_declared_with() -> None:
    with pytest.raises(ValueError, match="403 problem, not 409"):
        Conflict("x", problem_type=NOT_YOURS)
    with pytest.raises(ValueError, match="not declared here"):
        problem_responses(Conflict, types=[NOT_YOURS])
    assert Forbidden(problem_type=NOT_YOURS).problem().type == NOT_YOURS.uri


def test_a_problem_type_is_a_vern_urn() -> None:
    with pytest.raises(ValueError, match="urn:vern:problem:"):
        ProblemType("https://example.org/taken", 409, "Taken")
