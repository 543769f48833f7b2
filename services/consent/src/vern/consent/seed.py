"""Demo data for development: consent starts empty (subscribers arrive from the registry)."""

from __future__ import annotations

from vern.kit.logging import get_logger
from vern.kit.settings import ServiceSettings

log = get_logger(__name__)


def seed_demo(settings: ServiceSettings) -> None:
    """Loads nothing: demo clients who opt in at intake reach consent through the registry."""
    log.info("nothing to seed", service=settings.service_name)
