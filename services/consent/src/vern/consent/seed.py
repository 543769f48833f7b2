"""Demo data for development: one invented subscriber on each of the profile's newsletter lists
(clients who opt in at intake reach consent through the registry)."""

from __future__ import annotations

from sqlmodel import Session, select

from vern.consent.consents.models import Subscriber
from vern.consent.subscriptions import service as subscription_service
from vern.kit.app import make_vault
from vern.kit.clock import now_utc
from vern.kit.db import make_engine
from vern.kit.logging import get_logger
from vern.kit.orgprofile import load_profile
from vern.kit.settings import ServiceSettings, resolve_profile_path

log = get_logger(__name__)
DEMO_ADDRESS = "demo.abonnent@example.org"  # invented


def seed_demo(settings: ServiceSettings) -> None:
    """Subscribes the demo address, confirmed, to every list, if consent holds no one yet."""
    engine = make_engine(settings.database_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    profile = load_profile(resolve_profile_path(settings.org_profile))
    with Session(engine) as session:
        if session.exec(select(Subscriber)).first() is not None:
            return
        subscriber = subscription_service.new_subscriber(
            session=session, vault=vault, email=DEMO_ADDRESS
        )
        for list_id in profile.newsletter_lists:
            subscription_service.subscribe_confirmed(
                session=session, vault=vault, subscriber=subscriber, list_id=list_id,
                at=now_utc(),
            )  # fmt: skip
        session.commit()
    log.info("seeded a demo subscriber", lists=len(profile.newsletter_lists))
