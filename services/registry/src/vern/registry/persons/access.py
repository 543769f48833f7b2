"""Need to know (DESIGN.md section 2): who may read and change which client's record."""

from __future__ import annotations

from vern.kit.auth import Principal
from vern.kit.errors import Forbidden
from vern.registry.persons.models import Person

SEES_EVERY_CLIENT = ("coordinator", "manager")


def is_assigned(principal: Principal, person: Person) -> bool:
    return principal.has_role("counsellor") and person.assigned_counsellor_id == principal.subject


def has_need(principal: Principal, person: Person) -> bool:
    """Coordinators and managers work with every client; a counsellor with their own."""
    return principal.has_role(*SEES_EVERY_CLIENT) or is_assigned(principal, person)


def require_need(principal: Principal, person: Person) -> None:
    """Refuses a staff member without a need to know this client."""
    if not has_need(principal, person):
        raise Forbidden(
            "you are not assigned to this client; to read the record anyway, state a reason "
            "with POST /registry/persons/{id}/break-glass (logged and shown to the data "
            "protection officer)"
        )
