"""Every query on journal links."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from vern.registry.journal.models import JournalLink, JournalSessionReport


def get(*, session: Session, person_id: uuid.UUID) -> JournalLink | None:
    """Gets a client's link to the vendor's record, if the vendor has given its reference."""
    return session.get(JournalLink, person_id)


def find_by_reference(*, session: Session, reference_bidx: str) -> JournalLink | None:
    """The link whose vendor reference has this keyed hash."""
    query = select(JournalLink).where(JournalLink.vendor_reference_bidx == reference_bidx)
    return session.exec(query).first()


def add(*, session: Session, link: JournalLink) -> JournalLink:
    session.add(link)
    session.flush()
    return link


def get_session_report(*, session: Session, session_bidx: str) -> JournalSessionReport | None:
    """A session the vendor already reported under this (hashed) session id."""
    return session.get(JournalSessionReport, session_bidx)


def add_session_report(*, session: Session, report: JournalSessionReport) -> bool:
    """Stores a reported session; False if the same report was stored meanwhile (a concurrent
    repeat), which then leaves the transaction as it was."""
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError:
        return False
    return True
