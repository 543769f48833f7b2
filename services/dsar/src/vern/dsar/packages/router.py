"""`GET /dsar/packages/labels`: the words the access package is shown in, for the SPA."""

from __future__ import annotations

from fastapi import APIRouter

from vern.dsar.packages import labels
from vern.dsar.packages.schemas import PackageLabels
from vern.dsar.requests.dependencies import PackageRead

router = APIRouter(prefix="/packages", tags=["packages"])


@router.get("/labels", response_model=PackageLabels)
def get_package_labels(principal: PackageRead) -> PackageLabels:
    """Bokmål words for the package's categories, fields, coded values and audited actions
    (the readable page uses the same); a code without words is shown as it is."""
    return PackageLabels(
        categories=dict(labels.CATEGORY_NB),
        fields=dict(labels.FIELD_NB),
        values={field: dict(values) for field, values in labels.VALUE_NB.items()},
        actor_kinds=dict(labels.ACTOR_KIND_NB),
        actions=dict(labels.ACTION_NB),
    )
