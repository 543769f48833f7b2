"""dsar's part of the journal vendor's contract (`openapi/journal-vendor.json`, merged there with
the registry's part): the `subject.erasure_requested` webhook dsar sends the vendor for an erasure,
and the callback the vendor answers it with. Generated from the router and models dsar runs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, status

from vern.dsar.tasks.router import vendor_router
from vern.dsar.tasks.schemas import ErasureRequested
from vern.kit.app import operation_id
from vern.kit.errors import Forbidden, InvalidInput, NotAuthenticated, problem_responses
from vern.kit.webhooks import WebhookId, WebhookSignature, WebhookTimestamp


def vendor_contract() -> dict[str, Any]:
    """dsar's part of the contract document."""
    app = FastAPI(
        title="Vern journal vendor contract",
        version="1.0.0",
        generate_unique_id_function=operation_id,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(
        vendor_router,
        prefix="/dsar",
        responses=problem_responses(NotAuthenticated, Forbidden, InvalidInput),
    )

    @app.webhooks.post(
        "subject.erasure_requested",
        tags=["webhooks"],
        operation_id="webhooks-subject_erasure_requested",
        status_code=status.HTTP_204_NO_CONTENT,
        responses={
            204: {"description": "Received (any 2xx will do); the answer comes by callback."},
            "default": {"description": "Not received: dsar retries with backoff."},
        },
    )
    def subject_erasure_requested(
        event: ErasureRequested,
        webhook_id: WebhookId,
        webhook_timestamp: WebhookTimestamp,
        webhook_signature: WebhookSignature,
    ) -> None:
        """A data subject asked for erasure (dsar, an approved request): erase the client's
        journal, then answer at `POST /dsar/vendor/tasks/{task_id}/result` (`data.callback_path`)
        with what was erased and what is kept under which law, with a client-credentials token
        for audience `urn:vern:dsar`, scope `journal`. The request stays open until the answer
        comes; answering twice changes nothing. The `webhook-id` is the erasure task's id
        (`data.task_id`), the same on every retry."""

    return app.openapi()
