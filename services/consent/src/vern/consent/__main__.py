"""`python -m vern.consent migrate|serve|seed|revision`."""

from vern.consent.config import ConsentSettings
from vern.consent.reindex import reindex_consent
from vern.consent.seed import seed_demo
from vern.consent.subscriptions.removal import purge_erased
from vern.kit.servicecli import run_service_cli

run_service_cli(
    name="consent",
    app="vern.consent.main:create_app",
    settings_class=ConsentSettings,
    module_file=__file__,
    port=8002,
    seed=seed_demo,
    reindex=reindex_consent,
    purge=purge_erased,
)
