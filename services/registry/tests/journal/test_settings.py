"""The journal vendor's webhook secret: well-formed, and never the development one in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from vern.kit.webhooks import DEV_WEBHOOK_SECRET, generate_secret
from vern.registry.config import RegistrySettings

PRODUCTION = {
    "environment": "production",
    "keks": {"prod-1": "cHJvZHVjdGlvbi1rZXktZW5jcnlwdGlvbi1rZXktMDE="},
    "active_kek_id": "prod-1",
    "blind_index_key": "cHJvZHVjdGlvbi1ibGluZC1pbmRleC1rZXktMDAwMDE=",
    "client_secret": "a-real-secret",
}


def test_production_refuses_the_development_webhook_secret() -> None:
    with pytest.raises(ValidationError, match="journal_webhook_secret is the development secret"):
        RegistrySettings(**PRODUCTION, journal_webhook_secret=DEV_WEBHOOK_SECRET)
    assert RegistrySettings(**PRODUCTION, journal_webhook_secret=generate_secret())


def test_a_malformed_webhook_secret_is_refused_without_being_printed() -> None:
    secret = "CHANGE-ME-whsec-base64-32-random-bytes"
    with pytest.raises(ValidationError, match="whsec_") as refused:
        RegistrySettings(journal_webhook_secret=secret)
    assert secret not in str(refused.value)
