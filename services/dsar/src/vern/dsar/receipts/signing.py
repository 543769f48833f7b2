"""The key dsar signs erasure receipts with (ES256, joserfc), and its public half as a JWKS.

The key comes from settings as a private JWK (`DSAR_RECEIPT_SIGNING_KEY`, JSON with a `kid`);
the development key below is refused outside development and test. Keys retired by a rotation
stay published (`DSAR_RECEIPT_RETIRED_KEYS`, public JWKs) so receipts signed earlier still verify.
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

ALGORITHM = "ES256"
RECEIPT_TYPE = "vern-erasure-receipt+jwt"
# Development only: services refuse to start with it in production.
DEV_RECEIPT_SIGNING_KEY = json.dumps(
    {
        "kty": "EC",
        "crv": "P-256",
        "x": "q4jvBbhsBfLyEuS6-s-Okhusvt20AurC1Pg6_-7ZMSM",
        "y": "ikFNOl3IBcl5HoAZWYNdfF-rledh30Wm4z6HSL_-uAc",
        "d": "PJ-WD7P1do_Wm7conElqhZ0nIWbkD0rFN2zyYsHUzqo",
        "kid": "dsar-dev-receipts-1",
        "use": "sig",
        "alg": ALGORITHM,
    }
)


def load_signing_key(value: str) -> ECKey:
    """A private P-256 JWK with a `kid`; ValueError (never quoting the key) otherwise."""
    try:
        data = json.loads(value)
        key = ECKey.import_key(data)
    except Exception:
        raise ValueError("the receipt signing key is not a private EC P-256 JWK") from None
    if not key.is_private or data.get("crv") != "P-256" or not data.get("kid"):
        raise ValueError("the receipt signing key must be a private P-256 JWK with a kid")
    return key


class ReceiptSigner:
    """Signs receipts with the active key; publishes it and the retired ones."""

    def __init__(
        self, signing_key: str, *, issuer: str, retired_keys: list[dict[str, Any]] | None = None
    ) -> None:
        self.issuer = issuer
        self._key = load_signing_key(signing_key)
        self._retired = [ECKey.import_key(k) for k in retired_keys or []]

    @property
    def kid(self) -> str:
        return str(self._key.kid)

    def sign(self, claims: dict[str, Any], *, typ: str = RECEIPT_TYPE) -> str:
        """A compact JWS (a JWT) of `claims`, with the key's id and `typ` in the header."""
        header = {"alg": ALGORITHM, "kid": self.kid, "typ": typ}
        return jwt.encode(header, claims, self._key, algorithms=[ALGORITHM])

    def key_set(self) -> KeySet:
        """The published keys, to verify what dsar signed (e-mail proofs) with."""
        return KeySet.import_key_set(self.jwks())  # type: ignore[arg-type]

    def jwks(self) -> dict[str, Any]:
        """The public keys receipts are verified with."""
        public = [ECKey.import_key(self._key.as_dict(private=False)), *self._retired]
        keys: dict[str, Any] = dict(KeySet(public).as_dict(private=False))  # type: ignore[arg-type]
        for key in keys["keys"]:
            key.setdefault("use", "sig")
            key.setdefault("alg", ALGORITHM)
        return keys
