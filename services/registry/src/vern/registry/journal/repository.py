"""Every query on journal links."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vern.registry.journal.models import JournalLink, JournalSessionReport


def get(*, session: Session, person_id: uuid.UUID) -> JournalLink | None:
    """Gets a client's link to the vendor's record, if the vendor has given its reference."""
    return session.get(JournalLink, person_id)


def find_by_reference(*, session: Session, reference_bidxs: Sequence[str]) -> JournalLink | None:
    """The link whose vendor reference has one of these keyed hashes (one per configured key)."""
    query = select(JournalLink).where(col(JournalLink.vendor_reference_bidx).in_(reference_bidxs))
    return session.exec(query).first()


def add(*, session: Session, link: JournalLink) -> JournalLink:
    session.add(link)
    session.flush()
    return link


def find_session_report(
    *, session: Session, session_bidxs: Sequence[str]
) -> JournalSessionReport | None:
    """A session the vendor already reported under this session id (its keyed hash under any
    configured key)."""
    query = select(JournalSessionReport).where(
        col(JournalSessionReport.session_bidx).in_(session_bidxs)
    )
    return session.exec(query).first()


def add_session_report(*, session: Session, report: JournalSessionReport) -> bool:
    """Stores a reported session; False if the same report was stored meanwhile (a concurrent
    repeat), which then leaves the transaction as it was."""
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError:
        return False
    return True
