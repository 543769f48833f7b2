"""`python -m vern.registry migrate|serve|seed|revision`."""

from vern.kit.servicecli import run_service_cli
from vern.registry.config import RegistrySettings
from vern.registry.internal.service import purge_erased
from vern.registry.reindex import reindex_registry
from vern.registry.seed import seed_demo

run_service_cli(
    name="registry",
    app="vern.registry.main:create_app",
    settings_class=RegistrySettings,
    module_file=__file__,
    port=8001,
    seed=seed_demo,
    reindex=reindex_registry,
    purge=purge_erased,
)
