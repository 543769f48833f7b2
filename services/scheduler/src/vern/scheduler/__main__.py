"""`python -m vern.scheduler migrate|serve|seed|revision` (there is no demo data to seed)."""

from vern.kit.servicecli import run_service_cli
from vern.scheduler.config import SchedulerSettings

run_service_cli(
    name="scheduler",
    app="vern.scheduler.main:create_app",
    settings_class=SchedulerSettings,
    module_file=__file__,
    port=8004,
)
