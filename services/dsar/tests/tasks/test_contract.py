"""dsar's part of the journal vendor's contract: the erasure webhook it sends and the callback the
vendor answers with, as dsar's own router and models define them."""

from __future__ import annotations

from vern.dsar.tasks.contract import vendor_contract
from vern.dsar.tasks.schemas import ErasureRequested


def test_the_contract_documents_the_erasure_webhook_and_its_callback() -> None:
    document = vendor_contract()
    webhook = document["webhooks"]["subject.erasure_requested"]["post"]
    body = webhook["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ErasureRequested"}
    headers = {p["name"] for p in webhook["parameters"] if p["in"] == "header"}
    assert headers == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    event = document["components"]["schemas"]["ErasureRequested"]
    assert event["properties"]["type"]["default"] == ErasureRequested.model_fields["type"].default
    callback = document["paths"]["/dsar/vendor/tasks/{task_id}/result"]["post"]
    assert callback["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/VendorResult"
    }
    assert {"204", "401", "403", "404", "422"} <= set(callback["responses"])
    # Only the vendor's callback: none of dsar's staff or internal paths.
    assert list(document["paths"]) == ["/dsar/vendor/tasks/{task_id}/result"]
