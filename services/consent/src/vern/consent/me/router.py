"""A client's own newsletter consents (BankID login, "Mine opplysninger"), for the address the
client has proven to dsar: the `Vern-Email-Proof` header carries dsar's proof."""

from __future__ import annotations

from fastapi import APIRouter

from vern.consent.me import service as me_service
from vern.consent.me.dependencies import Client, MyListId, ProvenEmail
from vern.consent.me.schemas import MySubscription
from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep, VaultDep
from vern.kit.errors import Forbidden, InvalidInput, UpstreamUnavailable, problem_responses

router = APIRouter(prefix="/me", tags=["me"])
_ERRORS = problem_responses(Forbidden, UpstreamUnavailable)


@router.get("/subscriptions", response_model=list[MySubscription], responses=_ERRORS)
def my_subscriptions(
    session: SessionDep, vault: VaultDep, profile: ProfileDep, principal: Client,
    email: ProvenEmail,
) -> list[MySubscription]:  # fmt: skip
    """The centre's newsletter lists with the proven address's state on each (subscribed since,
    pending confirmation, withdrawn, never) and the text the consent in force was given to."""
    return me_service.my_subscriptions(
        session=session, vault=vault, profile=profile, principal=principal, email=email
    )


@router.post(
    "/subscriptions/{list_id}",
    response_model=MySubscription,
    responses=problem_responses(Forbidden, InvalidInput, UpstreamUnavailable),
)
def give_consent(
    list_id: MyListId, session: SessionDep, vault: VaultDep, profile: ProfileDep,
    principal: Client, email: ProvenEmail,
) -> MySubscription:  # fmt: skip
    """Gives consent to a list (source self-service; the ledger cites the list's current legal
    text). The proven address counts as confirmed: dsar mailed it the code the client typed, so
    no double opt-in mail is sent. Repeating it changes nothing."""
    return me_service.give(
        session=session, vault=vault, profile=profile, principal=principal, email=email,
        list_id=list_id,
    )  # fmt: skip


@router.delete(
    "/subscriptions/{list_id}",
    response_model=MySubscription,
    responses=problem_responses(Forbidden, InvalidInput, UpstreamUnavailable),
)
def withdraw_consent(
    list_id: MyListId, session: SessionDep, vault: VaultDep, profile: ProfileDep,
    principal: Client, email: ProvenEmail,
) -> MySubscription:  # fmt: skip
    """Withdraws consent to a list at once, as an unsubscribe does: the address leaves the list
    (and is deleted with every trace but its keyed hash on the suppression list when it is on no
    other), and the newsletter provider is told. Repeating it changes nothing."""
    return me_service.withdraw(
        session=session, vault=vault, profile=profile, principal=principal, email=email,
        list_id=list_id,
    )  # fmt: skip
