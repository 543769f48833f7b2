"""The rules of e-mail proofs: a client logged in with BankID names an address, gets a 6-digit
code there, and trades the code for a signed proof. The answer to naming an address is the same
whatever any store holds, so nobody learns from it whom Vern knows."""

from __future__ import annotations

import hmac
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from vern.dsar.identifiers import compact_national_id
from vern.dsar.mail import SmtpServer
from vern.dsar.me import mail, proofs
from vern.dsar.me import repository as proof_repository
from vern.dsar.me.models import MAX_ATTEMPTS, EmailProof
from vern.dsar.me.schemas import EmailProofConfirmed, EmailProofStarted
from vern.dsar.receipts.signing import ReceiptSigner
from vern.kit import audit, clock
from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.errors import NotFound, TooManyRequests, VernError
from vern.kit.logging import get_logger

log = get_logger(__name__)

CODE_LIFETIME = timedelta(minutes=15)
RATE_WINDOW = timedelta(hours=1)
RATE_LIMIT = 5  # proofs a client may start per hour
PURGE_BATCH = 100
_CODE_KIND = "email_proof_code"
_EMAIL_CONTEXT = "email_proof.email"
_NATIONAL_ID_CONTEXT = "email_proof.national_id"
_CODE_CONTEXT = "email_proof.code"


class ProofGone(VernError):
    """The code has expired, was used, or was guessed wrong too often: start again."""

    status_code = 410
    title = "Gone"


@dataclass(frozen=True)
class WrongCode:
    """A wrong code, counted; the answer is an error that must not roll the count back."""

    attempts_left: int


def now() -> datetime:
    """The service's clock (tests move it)."""
    return clock.now_utc()


def _national_id(principal: Principal) -> str:
    assert principal.national_id is not None
    return compact_national_id(principal.national_id)


def _subject_indexes(vault: Vault, principal: Principal) -> list[str]:
    return vault.blind_indexes("national_id", _national_id(principal))


def _code_index(vault: Vault, proof_id: uuid.UUID, code: str) -> str:
    """The code's keyed hash under the active blind-index key: the value to store."""
    return vault.blind_index(_CODE_KIND, f"{proof_id}:{code}")


def reindexed(vault: Vault, proof: EmailProof) -> dict[str, str | None]:
    """The proof's keyed hashes under the active blind-index key, made again from its sealed
    national id and code (a blind-index key rotation: `vern.dsar.reindex`). SubjectKeyMissing
    if they cannot be: the proof's key is gone with it, or it was started before they were
    kept (such a proof is used within 15 minutes and deleted within the hour)."""
    subject = str(proof.id)
    national_id = vault.decrypt(subject, proof.national_id_ct, context=_NATIONAL_ID_CONTEXT)
    code = vault.decrypt(subject, proof.code_ct, context=_CODE_CONTEXT)
    if national_id is None or code is None:
        raise SubjectKeyMissing("the proof's national id and code were not kept")
    return {
        "subject_bidx": vault.blind_index("national_id", national_id),
        "code_hash": _code_index(vault, proof.id, code),
    }


def _code_indexes(vault: Vault, proof_id: uuid.UUID, code: str) -> list[str]:
    return vault.blind_indexes(_CODE_KIND, f"{proof_id}:{code}")


def start(
    *, session: Session, vault: Vault, mailer: SmtpServer, principal: Principal, email: str
) -> EmailProofStarted:
    """Stores a proof for the caller and mails its code to `email` (already normalised)."""
    subject = _subject_indexes(vault, principal)
    moment = now()
    _purge(session, vault, moment)
    recent = proof_repository.started_since(
        session=session, subject_bidxs=subject, since=moment - RATE_WINDOW
    )
    if len(recent) >= RATE_LIMIT:
        wait = recent[-RATE_LIMIT] + RATE_WINDOW - moment
        raise TooManyRequests(
            "too many codes asked for; try again later",
            headers={"Retry-After": str(max(1, math.ceil(wait.total_seconds())))},
        )
    proof_id = uuid.uuid4()
    code = f"{secrets.randbelow(1_000_000):06d}"
    expires_at = moment + CODE_LIFETIME
    # Mailed first: if the mail server refuses it, nothing is kept (not even a data key).
    mail.send_code(mailer, to=email, code=code, expires_at=expires_at)
    key = str(proof_id)
    vault.create_subject_key(key)
    email_ct = vault.encrypt(key, email, context=_EMAIL_CONTEXT)
    assert email_ct is not None
    proof = EmailProof(
        id=proof_id,
        subject_bidx=subject[0],
        email_ct=email_ct,
        code_hash=_code_index(vault, proof_id, code),
        national_id_ct=vault.encrypt(key, _national_id(principal), context=_NATIONAL_ID_CONTEXT),
        code_ct=vault.encrypt(key, code, context=_CODE_CONTEXT),
        created_at=moment,
        expires_at=expires_at,
    )
    proof_repository.add(session=session, proof=proof)
    audit.record(
        session,
        principal=principal,
        action="email_proof.start",
        subject_type="email_proof",
        subject_id=proof_id,
    )
    log.info("email proof started", email_proof_id=str(proof_id))
    return EmailProofStarted(id=proof_id, expires_at=proof.expires_at)


def _purge(session: Session, vault: Vault, moment: datetime) -> None:
    """Forgets proofs older than the rate limit's window (long expired, no longer counted):
    their rows, and their data keys, so no address outlives its proof by long."""
    old = proof_repository.started_before(
        session=session, before=moment - RATE_WINDOW, limit=PURGE_BATCH
    )
    if old:
        proof_repository.delete_many(session=session, proof_ids=old)
        vault.shred_many([str(proof_id) for proof_id in old])


def _own(session: Session, vault: Vault, principal: Principal, proof_id: uuid.UUID) -> EmailProof:
    proof = proof_repository.get(session=session, proof_id=proof_id)
    # Someone else's proof is answered as one that does not exist.
    if proof is None or proof.subject_bidx not in _subject_indexes(vault, principal):
        raise NotFound("no such e-mail proof")
    return proof


def confirm(
    *,
    session: Session,
    vault: Vault,
    signer: ReceiptSigner,
    principal: Principal,
    proof_id: uuid.UUID,
    code: str,
) -> EmailProofConfirmed | WrongCode:
    """The signed proof for the right code; a wrong code is counted. 410 once expired, used,
    or after `MAX_ATTEMPTS` wrong codes."""
    proof = _own(session, vault, principal, proof_id)
    moment = now()
    if proof.confirmed_at is not None:
        raise ProofGone("this code has been used; ask for a new one")
    if moment >= proof.expires_at or proof.attempts >= MAX_ATTEMPTS:
        raise ProofGone("this code can no longer be used; ask for a new one")
    right = any(
        hmac.compare_digest(proof.code_hash, candidate)
        for candidate in _code_indexes(vault, proof.id, code)
    )
    if not right:
        proof.attempts += 1
        session.add(proof)
        audit.record(
            session,
            principal=principal,
            action="email_proof.wrong_code",
            subject_type="email_proof",
            subject_id=proof.id,
        )
        log.info("email proof code wrong", email_proof_id=str(proof.id), attempts=proof.attempts)
        return WrongCode(attempts_left=MAX_ATTEMPTS - proof.attempts)
    email = vault.decrypt(str(proof.id), proof.email_ct, context=_EMAIL_CONTEXT)
    assert email is not None
    proof.confirmed_at = moment
    session.add(proof)
    audit.record(
        session,
        principal=principal,
        action="email_proof.confirm",
        subject_type="email_proof",
        subject_id=proof.id,
    )
    jws, expires_at = proofs.issue(signer, sub=principal.subject, email=email, now=moment)
    log.info("email proof confirmed", email_proof_id=str(proof.id))
    return EmailProofConfirmed(proof=jws, email=email, expires_at=expires_at)


def proven_email(*, signer: ReceiptSigner, principal: Principal, proof: str, audience: str) -> str:
    """The address a client's proof holds, if dsar accepts it for this caller (ProofRefused
    otherwise)."""
    return proofs.verify(signer, proof, sub=principal.subject, audience=audience, now=now())
