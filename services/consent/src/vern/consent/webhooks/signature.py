"""Verification of SendGrid's signed event webhook (ECDSA P-256 over timestamp + raw body).

SendGrid signs the bytes of the `X-Twilio-Email-Event-Webhook-Timestamp` header followed by the
raw request body with SHA-256 and ECDSA P-256, and sends the DER signature base64-encoded in
`X-Twilio-Email-Event-Webhook-Signature`. The timestamp is also checked against a replay window,
so a captured request cannot be replayed later, nor one dated ahead of time be prepared.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"


class SignatureRejected(Exception):
    """The request is not signed by the configured key, or its timestamp is out of the window.
    The message says which, never what was received."""


def load_public_key(encoded: str) -> ec.EllipticCurvePublicKey:
    """The verification key SendGrid shows: base64 DER SubjectPublicKeyInfo of a P-256 key."""
    try:
        key = load_der_public_key(base64.b64decode(encoded, validate=True))
    except (ValueError, binascii.Error, UnsupportedAlgorithm) as exc:
        raise ValueError("is not a base64 DER public key") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError("is not an ECDSA P-256 public key")
    return key


class SendGridVerifier:
    """Checks SendGrid's signature and the replay window of one request."""

    def __init__(
        self,
        public_key: ec.EllipticCurvePublicKey,
        *,
        max_age: timedelta,
        max_future: timedelta,
    ) -> None:
        self._key = public_key
        self._max_age = max_age
        self._max_future = max_future

    def verify(
        self, *, body: bytes, signature: str | None, timestamp: str | None, now: datetime
    ) -> None:
        """Returns if the request is authentic and fresh; raises SignatureRejected otherwise."""
        if not signature or not timestamp:
            raise SignatureRejected("the signature or timestamp header is missing")
        if not timestamp.isdigit() or len(timestamp) > 12:
            raise SignatureRejected("the timestamp is not a Unix time")
        age = now.timestamp() - int(timestamp)
        if age > self._max_age.total_seconds():
            raise SignatureRejected("the timestamp is older than the replay window")
        if -age > self._max_future.total_seconds():
            raise SignatureRejected("the timestamp is in the future")
        try:
            der = base64.b64decode(signature, validate=True)
            self._key.verify(der, timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        except (binascii.Error, ValueError, InvalidSignature) as exc:
            raise SignatureRejected("the signature does not match") from exc
