"""Task fixtures: the request fixtures (profiles, clock, filing) serve here too, and a client
whose requests commit for real."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlmodel import Session

from vern.dsar.requests.models import DataRequest
from vern.dsar.tasks.models import RequestTask

from ..requests.conftest import clock, nokbergen, tryggere

__all__ = ["clock", "committed", "nokbergen", "tryggere"]


@pytest.fixture
async def committed(vern_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The service over ASGI with its own sessions: every request commits for real, so other
    connections see (and on SQLite wait for) what it writes. The other tests roll back, so the
    requests stored meanwhile are this test's, and are deleted afterwards."""
    vern_app.state.rate_limits.reset()
    transport = httpx.ASGITransport(app=vern_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as http:
        yield http
    with Session(vern_app.state.engine) as session:
        session.execute(delete(RequestTask))
        session.execute(delete(DataRequest))
        session.commit()
