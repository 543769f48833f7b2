"""`python -m vern.dsar migrate|serve|seed|revision`."""

from vern.dsar.config import DsarSettings
from vern.dsar.reindex import reindex_dsar
from vern.dsar.requests.service import purge_erased
from vern.kit.servicecli import run_service_cli

run_service_cli(
    name="dsar",
    app="vern.dsar.main:create_app",
    settings_class=DsarSettings,
    module_file=__file__,
    port=8003,
    reindex=reindex_dsar,
    purge=purge_erased,
)
