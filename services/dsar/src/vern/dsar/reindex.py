"""dsar's blind indexes, recomputed from the sealed identifiers when the blind-index key rotates
(`python -m vern.dsar reindex`): the requests' national ids and e-mail addresses, and the e-mail
proofs' subjects and codes. Requests whose identifiers were destroyed after an erasure keep
their keyed hashes under the old key (reported as unreadable); lookups keep trying that key while
it is configured."""

from __future__ import annotations

from vern.dsar.me import service as proof_service
from vern.dsar.me.models import EmailProof
from vern.dsar.requests.models import DataRequest
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.db import make_engine
from vern.kit.reindex import IndexedTable, Values, reindex
from vern.kit.settings import ServiceSettings


def _identifiers(vault: Vault, data_request: DataRequest) -> Values:
    if data_request.identifiers_shredded_at is not None:
        # Only the keyed hashes are left: they cannot be recomputed, and must not be lost.
        raise SubjectKeyMissing("the request's identifiers were destroyed after an erasure")
    subject = str(data_request.id)
    values: Values = {}
    for kind in ("national_id", "email"):
        sealed = getattr(data_request, f"{kind}_ct")
        plain = vault.decrypt(subject, sealed, context=f"data_request.{kind}")
        values[f"{kind}_bidx"] = vault.blind_index(kind, plain) if plain else None
    return values


TABLES = (
    IndexedTable("data_request", DataRequest, ("national_id_bidx", "email_bidx"), _identifiers),
    IndexedTable("email_proof", EmailProof, ("subject_bidx", "code_hash"), proof_service.reindexed),
)


def reindex_dsar(settings: ServiceSettings, vault: Vault, batch_size: int) -> dict[str, int]:
    """Rewrites dsar's blind indexes under the active key, in batches."""
    return reindex(make_engine(settings.database_url), vault, TABLES, batch_size=batch_size)
