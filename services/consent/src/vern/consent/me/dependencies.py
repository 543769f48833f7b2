"""Who may manage consents of their own: a client (BankID), for an address dsar has proven."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from vern.consent.me.proof import PROOF_MAX_LENGTH, PROOF_PATTERN, EmailProofVerifier
from vern.kit.auth import Principal, require

# Only a client's own token (the national id claim): staff and machines get 403.
Client = Annotated[Principal, Depends(require(kinds={"client"}))]


def email_proof_verifier(request: Request) -> EmailProofVerifier:
    verifier: EmailProofVerifier = request.app.state.email_proof_verifier
    return verifier


def proven_email(
    principal: Client,
    verifier: Annotated[EmailProofVerifier, Depends(email_proof_verifier)],
    proof: Annotated[
        str,
        Header(
            alias="Vern-Email-Proof",
            pattern=PROOF_PATTERN,
            max_length=PROOF_MAX_LENGTH,
            description="The e-mail proof dsar gave when the client typed the code it mailed "
            "(POST /dsar/me/email-proofs/{id}/confirm). Never put it in a URL.",
        ),
    ],
) -> str:
    """The address the caller has proven (normalised); 403 for a proof that is not theirs."""
    return verifier.verify(proof, subject=principal.subject)


ProvenEmail = Annotated[str, Depends(proven_email)]
MyListId = Annotated[
    str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="a newsletter list of the org profile")
]
