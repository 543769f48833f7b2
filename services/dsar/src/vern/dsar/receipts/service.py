"""Building and signing the receipt of a completed erasure, and reading it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from joserfc.jws import extract_compact

from vern.dsar.receipts.schemas import ErasureReceiptClaims, StoreReceipt
from vern.dsar.receipts.signing import ReceiptSigner
from vern.dsar.requests.models import DataRequest
from vern.dsar.tasks import service as task_service
from vern.dsar.tasks.models import RequestTask, TaskKind
from vern.kit.contract import KeptItem
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile


def build(
    *,
    vault: Vault,
    profile: OrgProfile,
    issuer: str,
    data_request: DataRequest,
    tasks: Sequence[RequestTask],
    now: datetime,
) -> ErasureReceiptClaims:
    """What every store erased and kept. An outside system keeps what staff recorded, or else
    what the profile's legal holds say it must keep (e.g. invoices under bokføringsloven)."""
    answers = task_service.receipts(vault, tasks)
    stores = []
    for task in tasks:
        answer = answers[task.target]
        kept = list(answer.kept)
        if task.kind is TaskKind.manual and not kept:
            kept = task_service.legal_holds(profile, task.target)
        stores.append(
            StoreReceipt(
                target=task.target,
                name=task_service.store_name(profile, task.target),
                kind=task.kind,
                erased=answer.erased,
                kept=[KeptItem.model_validate(k, from_attributes=True) for k in kept],
                completed_at=task.done_at or answer.completed_at,
                confirmed_by=task.done_by,
            )
        )
    return ErasureReceiptClaims(
        iss=issuer,
        sub=data_request.id,
        iat=int(now.timestamp()),
        org=profile.org.name,
        received_at=data_request.received_at,
        completed_at=data_request.completed_at or now,
        stores=stores,
    )


def sign(signer: ReceiptSigner, claims: ErasureReceiptClaims) -> str:
    return signer.sign(claims.model_dump(mode="json"))


def claims_of(jws: str) -> ErasureReceiptClaims:
    """The claims of a receipt dsar signed and stored itself."""
    return ErasureReceiptClaims.model_validate_json(extract_compact(jws.encode()).payload)
