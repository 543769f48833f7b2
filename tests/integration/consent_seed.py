"""Confirmed newsletter subscribers straight into consent's database, for the fault tests.

Run as `python -m tests.integration.consent_seed COUNT` with consent's `CONSENT_*` settings in the
environment; prints the subscribers' ids as a JSON list. A process of its own: consent's models
and the registry's share table names in the kit's metadata, so the test process, which imports
the registry's, cannot import consent's too. Addresses are `abonnent{i}@example.org`.
"""

from __future__ import annotations

import json
import sys
import uuid

from sqlmodel import Session

from vern.consent.config import ConsentSettings
from vern.consent.consents.models import Subscriber
from vern.consent.main import create_app
from vern.consent.subscriptions import service as subscription_service
from vern.kit.clock import now_utc


def email(i: int) -> str:
    return f"abonnent{i}@example.org"


def seed(count: int) -> list[str]:
    app = create_app(ConsentSettings())
    vault = app.state.vault
    ids = [uuid.uuid4() for _ in range(count)]
    vault.create_subject_keys([str(i) for i in ids])
    with Session(app.state.engine) as session:
        for i, subscriber_id in enumerate(ids):
            subscriber = Subscriber(
                id=subscriber_id,
                email_ct=vault.encrypt(str(subscriber_id), email(i), context="subscriber.email"),
                email_bidx=vault.blind_index("email", email(i)),
                created_at=now_utc(),
            )
            session.add(subscriber)
            session.flush()
            subscription_service.subscribe_confirmed(
                session=session, vault=vault, subscriber=subscriber, list_id="general",
                at=now_utc(),
            )  # fmt: skip
        session.commit()
    app.state.engine.dispose()
    app.state.keystore.dispose()
    return [str(i) for i in ids]


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]))))
