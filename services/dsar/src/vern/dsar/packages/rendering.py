"""The access package as a readable page in Norwegian (bokmål): each store's categories with
Norwegian labels, why and how long they are kept, and who has read them; times in Oslo time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from vern.dsar.packages import labels
from vern.dsar.packages.schemas import AccessPackage
from vern.kit.clock import OSLO
from vern.kit.contract import AccessLogEntry, CategoryExport, ExportResult, RecipientExport
from vern.kit.orgprofile.vocabulary import RecipientRole, Role, VernService
from vern.kit.orgprofile.wording import (
    RECIPIENT_ROLE_NB,
    RIGHTS_NB,
    ROLE_NB,
    VERN_SERVICE_NB,
    phone_nb,
)

_env = Environment(
    loader=PackageLoader("vern.dsar", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
NOTHING = "\N{EN DASH}"


@dataclass(frozen=True)
class Node:
    """A value as shown: a text, labelled fields (a record) or items (a list)."""

    text: str | None = None
    fields: list[tuple[str, Node]] | None = None
    items: list[Node] | None = None


@dataclass(frozen=True)
class CategoryView:
    title: str
    activity: str | None
    purpose: str
    legal_basis: str
    source: str
    recipients: list[str]
    retention: str | None
    due: str | None
    data: Node


@dataclass(frozen=True)
class LogRow:
    when: str
    who: str
    what: str
    break_glass: bool


@dataclass(frozen=True)
class StoreView:
    title: str
    categories: list[CategoryView] = field(default_factory=list)
    log: list[LogRow] = field(default_factory=list)


def oslo_time(moment: datetime) -> str:
    """ "05.01.2026 kl. 10:30", Oslo time (a naive time is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")


def oslo_day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _text(name: str, value: str) -> str:
    if name in labels.VALUE_NB:
        return labels.value_nb(name, value)
    try:
        if _DATETIME.match(value):
            return oslo_time(datetime.fromisoformat(value))
        if _DATE.match(value):
            return oslo_day(date.fromisoformat(value))
    except ValueError:
        pass
    return value


def node(name: str, value: Any) -> Node:
    """How one exported value reads: every value is shown, codes in words, times in Oslo time."""
    if value is None:
        return Node(text=NOTHING)
    if isinstance(value, bool):
        return Node(text="ja" if value else "nei")
    if isinstance(value, Mapping):
        return Node(fields=[(labels.field_nb(k), node(k, v)) for k, v in value.items()])
    if isinstance(value, list):
        return Node(items=[node(name, v) for v in value]) if value else Node(text="ingen")
    if isinstance(value, str):
        return Node(text=_text(name, value))
    return Node(text=str(value))


def _recipient(recipient: RecipientExport) -> str:
    try:
        role = RECIPIENT_ROLE_NB[RecipientRole(recipient.role)]
    except ValueError:
        role = recipient.role
    where = f" Opplysningene ligger i {recipient.location}." if recipient.location else ""
    return f"{recipient.name} ({role}): {recipient.task}.{where}"


def _category(category: CategoryExport) -> CategoryView:
    recipients = (
        [_recipient(r) for r in category.recipient_details]
        if category.recipient_details
        else list(category.recipients)
    )
    due = category.retention_due_date
    return CategoryView(
        title=labels.category_nb(category.category),
        activity=category.activity,
        purpose=category.purpose,
        legal_basis=category.legal_basis,
        source=category.source,
        recipients=recipients,
        retention=category.retention,
        due=oslo_day(due) if due is not None else None,
        data=node(category.category, category.data),
    )


def _role(code: str) -> str:
    try:
        return ROLE_NB[Role(code)]
    except ValueError:
        return code


def _log_row(entry: AccessLogEntry) -> LogRow:
    who = labels.ACTOR_KIND_NB.get(entry.actor_kind, entry.actor_kind)
    roles = [_role(r) for r in entry.roles.split(",") if r]
    if roles:
        who = f"{who} ({', '.join(roles)})"
    return LogRow(
        when=oslo_time(entry.occurred_at),
        who=who,
        what=labels.action_nb(entry.action),
        break_glass=entry.break_glass,
    )


def _store_title(service: str) -> str:
    try:
        words = VERN_SERVICE_NB[VernService(service)]
    except ValueError:
        return service
    return words[0].upper() + words[1:]


def store_view(service: str, export: ExportResult) -> StoreView:
    """One service's part: its categories, then every recorded read or change, oldest first."""
    entries = sorted(
        (e for s in export.subjects for e in s.access_log), key=lambda e: e.occurred_at
    )
    return StoreView(
        title=_store_title(service),
        categories=[_category(c) for s in export.subjects for c in s.categories],
        log=[_log_row(e) for e in entries],
    )


def render_html(package: AccessPackage) -> str:
    return _env.get_template("access_package.html").render(
        p=package,
        generated=oslo_time(package.generated_at),
        stores=[store_view(name, export) for name, export in package.services.items()],
        rights=list(RIGHTS_NB.values()),
        phone=phone_nb,
    )
