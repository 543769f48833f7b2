"""The e-mail proof as a JWS signed with dsar's receipt key, read by dsar itself and by consent:
typ `vern-email-proof+jwt`, audiences dsar and consent, the client's token `sub`, 30 minutes."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwt import JWTClaimsRegistry

from vern.dsar.receipts.signing import ALGORITHM, ReceiptSigner

PROOF_TYPE = "vern-email-proof+jwt"
AUDIENCES = ("urn:vern:dsar", "urn:vern:consent")
LIFETIME = timedelta(minutes=30)


class ProofRefused(Exception):
    """The proof is not one dsar accepts; the message names what, never the proof's content."""


def issue(signer: ReceiptSigner, *, sub: str, email: str, now: datetime) -> tuple[str, datetime]:
    """A signed proof that the holder of token `sub` received mail at `email`, and its expiry."""
    issued = int(now.timestamp())
    expires = issued + int(LIFETIME.total_seconds())
    claims = {
        "iss": signer.issuer,
        "aud": list(AUDIENCES),
        "sub": sub,
        "email": email,
        "iat": issued,
        "exp": expires,
        "jti": uuid.uuid4().hex,
    }
    return signer.sign(claims, typ=PROOF_TYPE), datetime.fromtimestamp(expires, tz=now.tzinfo)


def verify(signer: ReceiptSigner, proof: str, *, sub: str, audience: str, now: datetime) -> str:
    """The proven address, if `proof` is signed by dsar's key, typed as a proof, meant for
    `audience`, not expired and given to the token subject `sub`."""
    try:
        token = jwt.decode(proof, signer.key_set(), algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        raise ProofRefused("is not a valid e-mail proof") from None
    if token.header.get("typ") != PROOF_TYPE:
        raise ProofRefused("is not an e-mail proof")
    registry = JWTClaimsRegistry(
        now=int(now.timestamp()),
        iss={"essential": True, "value": signer.issuer},
        aud={"essential": True, "value": audience},
        sub={"essential": True, "value": sub},
        exp={"essential": True},
        email={"essential": True},
    )
    try:
        registry.validate(token.claims)
    except JoseError as exc:
        claim = getattr(exc, "claim", None) or "claims"
        raise ProofRefused(_REASONS.get(claim, "is not a valid e-mail proof")) from None
    email: Any = token.claims["email"]
    if not isinstance(email, str):
        raise ProofRefused("is not a valid e-mail proof")
    return email


_REASONS = {
    "exp": "has expired: confirm the address again",
    "sub": "was given to someone else",
    "aud": "is not meant for this service",
}
