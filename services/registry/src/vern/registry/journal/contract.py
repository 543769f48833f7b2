"""The journal vendor's contract as one OpenAPI 3.1 document (`openapi/journal-vendor.json`): the
API the vendor may call and the webhooks Vern sends it. Generated from the same router and models
the registry runs, so CI fails when the two drift apart."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, status

from vern.kit.app import operation_id
from vern.kit.errors import Forbidden, InvalidInput, NotAuthenticated, problem_responses
from vern.kit.webhooks import WebhookId, WebhookSignature, WebhookTimestamp
from vern.registry.journal.router import router
from vern.registry.journal.schemas import RetentionDue, SubjectErased

DESCRIPTION = """\
What a journaling vendor (journalsystem) and Vern exchange.

**Calls to Vern** (`/registry/journal/...`): OAuth2 client credentials from the centre's identity
provider, audience (resource) `urn:vern:registry`, scope `journal`. Only clients who consented to
the journal are found; any other person answers 404, like a person who is not a client. Centres
without a journal vendor answer 404 on every path. National ids travel in request bodies only.

**Calls to dsar** (`/dsar/vendor/...`): the answer to `subject.erasure_requested`, with a token
for audience `urn:vern:dsar`, scope `journal`.

**Webhooks from Vern**: signed by the Standard Webhooks scheme
(https://www.standardwebhooks.com/) with a `whsec_` secret the centre shares with the vendor.
Verify `webhook-signature` over `webhook-id.webhook-timestamp.body` and refuse timestamps more than
five minutes off. Answer 2xx once the event is applied; anything else (or no answer) is retried with
growing backoff, with the same `webhook-id` each time: apply an event once per `webhook-id`.
Events carry ids, the vendor's reference and dates only.
"""

WEBHOOK_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Applied, or already applied under this webhook-id (any 2xx will do)."},
    "default": {"description": "Not applied: Vern retries with backoff."},
}


def vendor_contract() -> dict[str, Any]:
    """The contract document."""
    app = FastAPI(
        title="Vern journal vendor contract",
        version="1.0.0",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(
        router,
        prefix="/registry",
        responses=problem_responses(NotAuthenticated, Forbidden, InvalidInput),
    )

    @app.webhooks.post(
        "subject.erased",
        tags=["webhooks"],
        operation_id="webhooks-subject_erased",
        status_code=status.HTTP_204_NO_CONTENT,
        responses=WEBHOOK_RESPONSES,
    )
    def subject_erased(
        event: SubjectErased,
        webhook_id: WebhookId,
        webhook_timestamp: WebhookTimestamp,
        webhook_signature: WebhookSignature,
    ) -> None:
        """The client is erased in Vern (on request, or when the retention period ran out):
        erase the client's journal."""

    @app.webhooks.post(
        "journal.retention_due",
        tags=["webhooks"],
        operation_id="webhooks-retention_due",
        status_code=status.HTTP_204_NO_CONTENT,
        responses=WEBHOOK_RESPONSES,
    )
    def retention_due(
        event: RetentionDue,
        webhook_id: WebhookId,
        webhook_timestamp: WebhookTimestamp,
        webhook_signature: WebhookSignature,
    ) -> None:
        """The client's retention due date has come: the journal's session notes must go
        ("Notatene fra samtalene makuleres 3 år etter at bruker har avsluttet veiledningen")."""

    return app.openapi()
