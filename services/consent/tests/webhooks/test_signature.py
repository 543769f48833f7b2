"""SendGrid's signature check on its own: the published vector, changed bytes, keys and times."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from vern.consent.webhooks.signature import SendGridVerifier, SignatureRejected, load_public_key

from .conftest import (
    SENDGRID_PAYLOAD,
    SENDGRID_PUBLIC_KEY,
    SENDGRID_SIGNATURE,
    SENDGRID_TIMESTAMP,
    VECTOR_NOW,
    Signer,
)

WINDOW = {"max_age": timedelta(minutes=10), "max_future": timedelta(minutes=2)}


def verifier(public_key: str = SENDGRID_PUBLIC_KEY) -> SendGridVerifier:
    return SendGridVerifier(load_public_key(public_key), **WINDOW)


def test_sendgrids_published_vector_is_accepted() -> None:
    verifier().verify(
        body=SENDGRID_PAYLOAD, signature=SENDGRID_SIGNATURE, timestamp=SENDGRID_TIMESTAMP,
        now=VECTOR_NOW,
    )  # fmt: skip


@pytest.mark.parametrize("position", [0, 10, len(SENDGRID_PAYLOAD) - 1])
def test_a_changed_byte_of_the_body_is_refused(position: int) -> None:
    body = bytearray(SENDGRID_PAYLOAD)
    body[position] ^= 0x01
    with pytest.raises(SignatureRejected, match="does not match"):
        verifier().verify(
            body=bytes(body), signature=SENDGRID_SIGNATURE, timestamp=SENDGRID_TIMESTAMP,
            now=VECTOR_NOW,
        )  # fmt: skip


def test_another_timestamp_under_the_same_signature_is_refused() -> None:
    with pytest.raises(SignatureRejected, match="does not match"):
        verifier().verify(
            body=SENDGRID_PAYLOAD, signature=SENDGRID_SIGNATURE,
            timestamp=str(int(SENDGRID_TIMESTAMP) + 1), now=VECTOR_NOW,
        )  # fmt: skip


def test_a_signature_checked_against_another_key_is_refused() -> None:
    with pytest.raises(SignatureRejected, match="does not match"):
        verifier(Signer().public_key).verify(
            body=SENDGRID_PAYLOAD, signature=SENDGRID_SIGNATURE, timestamp=SENDGRID_TIMESTAMP,
            now=VECTOR_NOW,
        )  # fmt: skip


def test_a_valid_signature_older_than_the_replay_window_is_refused() -> None:
    with pytest.raises(SignatureRejected, match="older than the replay window"):
        verifier().verify(
            body=SENDGRID_PAYLOAD, signature=SENDGRID_SIGNATURE, timestamp=SENDGRID_TIMESTAMP,
            now=VECTOR_NOW + timedelta(minutes=11),
        )  # fmt: skip


def test_a_timestamp_too_far_in_the_future_is_refused() -> None:
    with pytest.raises(SignatureRejected, match="in the future"):
        verifier().verify(
            body=SENDGRID_PAYLOAD, signature=SENDGRID_SIGNATURE, timestamp=SENDGRID_TIMESTAMP,
            now=VECTOR_NOW - timedelta(minutes=3),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("signature", "timestamp"),
    [(None, SENDGRID_TIMESTAMP), (SENDGRID_SIGNATURE, None), ("not base64!", SENDGRID_TIMESTAMP),
     (SENDGRID_SIGNATURE, "timestamp"), (SENDGRID_SIGNATURE, "-1600112502"),
     (base64.b64encode(b"x" * 70).decode(), SENDGRID_TIMESTAMP)],
)  # fmt: skip
def test_missing_or_malformed_headers_are_refused(
    signature: str | None, timestamp: str | None
) -> None:
    with pytest.raises(SignatureRejected):
        verifier().verify(
            body=SENDGRID_PAYLOAD, signature=signature, timestamp=timestamp, now=VECTOR_NOW
        )


def test_our_own_key_signs_and_verifies_like_sendgrid() -> None:
    signer = Signer()
    headers = signer.headers(b"[]", timestamp=int(VECTOR_NOW.timestamp()))
    verifier(signer.public_key).verify(
        body=b"[]", signature=headers["X-Twilio-Email-Event-Webhook-Signature"],
        timestamp=headers["X-Twilio-Email-Event-Webhook-Timestamp"], now=VECTOR_NOW,
    )  # fmt: skip


@pytest.mark.parametrize("encoded", ["", "not base64!", base64.b64encode(b"junk").decode()])
def test_a_verification_key_that_is_not_a_p256_public_key_is_refused(encoded: str) -> None:
    with pytest.raises(ValueError, match="public key"):
        load_public_key(encoded)
