"""Builds an access package from the services' exports and the org profile."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from vern.dsar.packages.schemas import (
    AccessPackage,
    OutsidePlace,
    PackageController,
    PackageSubject,
)
from vern.kit.clock import now_utc
from vern.kit.contract import ExportResult
from vern.kit.orgprofile import OrgProfile, OutsideStore
from vern.kit.orgprofile.wording import OUTSIDE_SYSTEM_KIND_NB, ROLE_NB


def build_package(
    *,
    request_id: uuid.UUID,
    subject: PackageSubject,
    exports: Mapping[str, ExportResult],
    profile: OrgProfile,
    generated_at: datetime | None = None,
) -> AccessPackage:
    """One package: each service's export as it answered (every category it holds, with purpose,
    legal basis, source, recipients, retention and who read it), the controller, and the outside
    places the profile names."""
    return AccessPackage(
        request_id=request_id,
        generated_at=generated_at or now_utc(),
        subject=subject,
        services=dict(exports),
        controller=controller_of(profile),
        outside_places=outside_places(profile),
    )


def controller_of(profile: OrgProfile) -> PackageController:
    org, address = profile.org, profile.org.address
    dpo = profile.dpo
    return PackageController(
        name=org.name,
        org_number=org.org_number,
        address=f"{address.street}, {address.postal_code} {address.city}",
        email=profile.controller.email,
        phone=profile.controller.phone,
        dpo_name=dpo.name if dpo else None,
        dpo_email=dpo.email if dpo else None,
        dpo_phone=dpo.phone if dpo else None,
    )


def outside_places(profile: OrgProfile) -> list[OutsidePlace]:
    """The outside systems that hold personal data by the profile (anonymous records left out),
    in the profile's order, each with the processing activities kept there."""
    activities: dict[str, list[str]] = {}
    for activity in profile.processing_activities.values():
        if not activity.data_categories:
            continue
        for store in activity.stored_in:
            if isinstance(store, OutsideStore):
                names = activities.setdefault(store.outside_system, [])
                if activity.name_nb not in names:
                    names.append(activity.name_nb)
    return [
        OutsidePlace(
            system=system_id,
            name=system.name,
            kind_nb=OUTSIDE_SYSTEM_KIND_NB[system.kind],
            owner_role_nb=ROLE_NB[system.owner_role],
            activities_nb=activities[system_id],
        )
        for system_id, system in profile.outside_systems.items()
        if system_id in activities
    ]
