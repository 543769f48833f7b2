"""The rules for data requests: who may file and read them, the one-month deadline, and the
collection of an access request's data from every service."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlmodel import Session

from vern.dsar.identifiers import compact_national_id
from vern.dsar.requests import orchestration
from vern.dsar.requests import repository as request_repository
from vern.dsar.requests.dependencies import SEES_EVERY_REQUEST
from vern.dsar.requests.models import Channel, DataRequest, RequestStatus, RequestType
from vern.dsar.requests.schemas import (
    AccessPackage,
    DataRequestCreate,
    DataRequestRead,
    PackageSubject,
)
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import add_months, now_utc, oslo_date
from vern.kit.crypto import Vault
from vern.kit.errors import FieldError, Forbidden, InvalidInput, NotFound
from vern.kit.http import ServiceClient
from vern.kit.logging import get_logger

log = get_logger(__name__)

# GDPR Art. 12(3): the answer is due without undue delay and at the latest within one month.
ANSWER_MONTHS = 1
BANKID_CHECK = "BankID, high assurance level"
_STAFF_ONLY_FIELDS = ("channel", "national_id", "email", "identity_verification")


def due_date_for(received_at: datetime) -> date:
    """One calendar month after the Oslo date of receipt, clamped to the month's last day:
    a request received on 31 January is due on 28 (or 29) February."""
    return add_months(oslo_date(received_at), ANSWER_MONTHS)


def create(
    *,
    session: Session,
    vault: Vault,
    peers: Mapping[str, ServiceClient],
    principal: Principal,
    data: DataRequestCreate,
) -> DataRequest:
    """Registers a request; an access request is answered at once with a package from every
    service, or marked failed (and kept) when a service cannot be reached."""
    channel, subject, identity_check = _requester(principal, data)
    request_id = uuid.uuid4()
    key = str(request_id)
    vault.create_subject_key(key)
    received_at = now_utc()
    data_request = DataRequest(
        id=request_id,
        type=data.type,
        channel=channel,
        status=RequestStatus.received,
        received_at=received_at,
        due_date=due_date_for(received_at),
        handler=principal.subject if principal.kind == "staff" else None,
        identity_verification_ct=_seal(vault, key, "identity_verification", identity_check),
        national_id_ct=_seal(vault, key, "national_id", subject.national_id),
        email_ct=_seal(vault, key, "email", subject.email),
        national_id_bidx=_blind_index(vault, "national_id", subject.national_id),
        email_bidx=_blind_index(vault, "email", subject.email),
    )
    if data.type is RequestType.access:
        # Collected before the first write, so no database lock is held while services answer.
        _answer_access(vault, peers, data_request, subject)
    request_repository.add(session=session, data_request=data_request)
    audit.record(
        session,
        principal=principal,
        action="data_request.create",
        subject_type="data_request",
        subject_id=request_id,
    )
    log.info(
        "data request registered",
        data_request_id=key,
        type=data.type.value,
        status=data_request.status.value,
    )
    return data_request


def _requester(
    principal: Principal, data: DataRequestCreate
) -> tuple[Channel, PackageSubject, str | None]:
    """The channel, the identifiers and how identity was checked: from the BankID login for a
    client, from the body for staff."""
    if principal.kind == "client":
        given = [name for name in _STAFF_ONLY_FIELDS if getattr(data, name) is not None]
        if given:
            reason = "is not given by clients: your BankID login says who you are"
            raise _invalid(dict.fromkeys(given, reason))
        assert principal.national_id is not None
        subject = PackageSubject(national_id=compact_national_id(principal.national_id), email=None)
        return Channel.self_service, subject, BANKID_CHECK
    problems: dict[str, str] = {}
    if data.national_id is None and data.email is None:
        problems["national_id"] = "give the requester's national id or email"
    if data.identity_verification is None:
        problems["identity_verification"] = "say how the requester's identity was checked"
    if problems:
        raise _invalid(problems)
    subject = PackageSubject(national_id=data.national_id, email=data.email)
    return data.channel or Channel.staff, subject, data.identity_verification


def _answer_access(
    vault: Vault,
    peers: Mapping[str, ServiceClient],
    data_request: DataRequest,
    subject: PackageSubject,
) -> None:
    try:
        package = orchestration.collect_access_package(
            peers=peers, request_id=data_request.id, subject=subject
        )
    except orchestration.CollectionFailed as exc:
        data_request.status = RequestStatus.failed
        data_request.error = exc.error
        log.warning(
            "access request could not be collected",
            data_request_id=str(data_request.id),
            error=exc.error,
        )
        return
    data_request.package_ct = _seal(
        vault, str(data_request.id), "package", package.model_dump_json()
    )
    data_request.status = RequestStatus.completed
    data_request.completed_at = now_utc()


def get_for_reading(
    *, session: Session, vault: Vault, principal: Principal, request_id: uuid.UUID
) -> DataRequest:
    """Gets a request the principal may read: managers and the DPO all, other staff those they
    handle, a client those naming their own national id (others do not exist for them)."""
    data_request = request_repository.get(session=session, request_id=request_id)
    if data_request is None or (
        principal.kind == "client" and not _names_client(vault, principal, data_request)
    ):
        raise NotFound("no such request")
    if (
        principal.kind == "staff"
        and not principal.has_role(*SEES_EVERY_REQUEST)
        and data_request.handler != principal.subject
    ):
        raise Forbidden("you do not handle this request")
    audit.record(
        session,
        principal=principal,
        action="data_request.read",
        subject_type="data_request",
        subject_id=request_id,
    )
    return data_request


def read_package(
    *, session: Session, vault: Vault, principal: Principal, request_id: uuid.UUID
) -> AccessPackage:
    """The access package of a completed access request (its client, managers and the DPO)."""
    data_request = get_for_reading(
        session=session, vault=vault, principal=principal, request_id=request_id
    )
    package = vault.decrypt(
        str(request_id), data_request.package_ct, context="data_request.package"
    )
    if package is None:
        raise NotFound("this request has no access package")
    audit.record(
        session,
        principal=principal,
        action="data_request.package_read",
        subject_type="data_request",
        subject_id=request_id,
    )
    return AccessPackage.model_validate_json(package)


def list_visible(
    *, session: Session, vault: Vault, principal: Principal, limit: int, offset: int
) -> Sequence[DataRequest]:
    """Managers and the DPO see every request, other staff those they handle, a client their own."""
    if principal.kind == "client":
        assert principal.national_id is not None
        requests = request_repository.list_for_national_id(
            session=session,
            national_id_bidx=vault.blind_index(
                "national_id", compact_national_id(principal.national_id)
            ),
            limit=limit,
            offset=offset,
        )
    elif principal.has_role(*SEES_EVERY_REQUEST):
        requests = request_repository.list_all(session=session, limit=limit, offset=offset)
    else:
        requests = request_repository.list_for_handler(
            session=session, handler=principal.subject, limit=limit, offset=offset
        )
    audit.record(
        session,
        principal=principal,
        action="data_request.list",
        subject_type="data_request",
        subject_id=None,
    )
    return requests


def to_read(vault: Vault, data_request: DataRequest) -> DataRequestRead:
    return DataRequestRead(
        id=data_request.id,
        type=data_request.type,
        channel=data_request.channel,
        status=data_request.status,
        received_at=data_request.received_at,
        due_date=data_request.due_date,
        completed_at=data_request.completed_at,
        handler=data_request.handler,
        identity_verification=vault.decrypt(
            str(data_request.id),
            data_request.identity_verification_ct,
            context="data_request.identity_verification",
        ),
        error=data_request.error,
    )


def _names_client(vault: Vault, principal: Principal, data_request: DataRequest) -> bool:
    assert principal.national_id is not None
    own = vault.blind_index("national_id", compact_national_id(principal.national_id))
    return data_request.national_id_bidx == own


def _seal(vault: Vault, key: str, name: str, value: str | None) -> str | None:
    return vault.encrypt(key, value, context=f"data_request.{name}")


def _blind_index(vault: Vault, kind: str, value: str | None) -> str | None:
    return vault.blind_index(kind, value) if value else None


def _invalid(problems: dict[str, str]) -> InvalidInput:
    return InvalidInput(
        "; ".join(f"{field}: {message}" for field, message in problems.items()),
        errors=[FieldError(field=field, message=message) for field, message in problems.items()],
    )
