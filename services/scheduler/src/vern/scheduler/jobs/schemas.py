"""What the API returns for jobs and the plan."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class JobRead(BaseModel):
    id: str
    description: str
    schedule: str
    service: str | None = Field(description="The Vern service the job calls")
    next_run_at: datetime | None = Field(
        description="When the job runs next; null when this process does not run the scheduler."
    )


class PlannedJob(BaseModel):
    job_id: str
    description: str
    schedule: str
    service: str | None
    runs: list[datetime] = Field(description="Run times in the window, Europe/Oslo (the first 20)")
    more_runs: bool = Field(description="Whether it runs more often in the window than listed")


class PlannedTask(BaseModel):
    rule: str
    outside_system: str
    owner_role: str
    every: str = Field(description='How often, e.g. "every 3 months"')
    next_hand_out_date: date = Field(description="When the next task is handed out (Oslo date)")


class Plan(BaseModel):
    """What runs when in the next `days` days, in Europe/Oslo."""

    role: str = Field(description="active: this replica fires the jobs; standby; off")
    from_: datetime = Field(alias="from")
    until: datetime
    jobs: list[PlannedJob]
    tasks: list[PlannedTask]

    model_config = {"populate_by_name": True}
