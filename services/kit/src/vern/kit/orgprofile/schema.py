"""The org profile's schema: a centre's privacy notice (personvernerklæring) as typed data."""

from collections.abc import Callable, Hashable, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from vern.kit.orgprofile.vocabulary import (
    SERVICE_OF_MODULE,
    Article6Basis,
    Article9Condition,
    ClientField,
    Clock,
    DataCategory,
    DataSubject,
    Module,
    NewsletterProvider,
    OutsideSystemKind,
    RecipientRole,
    Role,
    VernService,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$")]  # E.164


def _check_org_number(value: str) -> str:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(value, weights, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[8]):
        raise ValueError("not a valid organisasjonsnummer (modulus 11 check digit)")
    return value


OrgNumber = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{9}$"), AfterValidator(_check_org_number)
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _by_key(*keys: str) -> Discriminator:
    """Tells union members apart by which of `keys` a mapping carries.

    Members are tagged "~<key>" (and a period "~duration" or "~word") so error paths drop tags.
    """

    def pick(value: Any) -> Hashable | None:
        present: Callable[[str], bool] = (
            value.__contains__ if isinstance(value, Mapping) else lambda k: hasattr(value, k)
        )
        return next((f"~{key}" for key in keys if present(key)), None)

    return Discriminator(
        pick,
        custom_error_type="missing_kind",
        custom_error_message=f"needs one of the keys: {', '.join(keys)}",
    )


class Duration(_Model):
    """A calendar period; see `vern.kit.orgprofile.dates` for how it is added to a date."""

    years: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _not_zero(self) -> "Duration":
        if not (self.years or self.months or self.days):
            raise ValueError('a period of zero; write "immediately" instead')
        return self


PeriodWord = Literal["immediately", "until_clock"]
"""`immediately`: delete when the clock starts; `until_clock`: kept until the clock (it ends)."""

Period = Annotated[
    Annotated[Duration, Tag("~duration")] | Annotated[PeriodWord, Tag("~word")],
    Discriminator(lambda v: "~word" if isinstance(v, str) else "~duration"),
]


class ServiceSweep(_Model):
    """A Vern service deletes on time by itself; `notifies` names journal vendors it tells."""

    service: VernService
    notifies: tuple[Id, ...] = ()


class OutsideSystemTask(_Model):
    """Vern hands a person a task, every `every`, to delete what is due in an outside system."""

    outside_system: Id
    owner_role: Role
    every: Duration


class LegalHold(_Model):
    """A law obliges the centre to keep the data for the period (e.g. bokføringsloven § 13)."""

    legal_hold: Text


Enforcer = Annotated[
    Annotated[ServiceSweep, Tag("~service")]
    | Annotated[OutsideSystemTask, Tag("~outside_system")]
    | Annotated[LegalHold, Tag("~legal_hold")],
    _by_key("service", "outside_system", "legal_hold"),
]


class RetentionRule(_Model):
    what_nb: Text
    clock_start: Clock
    period: Period
    enforced_by: tuple[Enforcer, ...] = ()
    source_quote: Text | None = Field(description="A phrase of the notice; null: it states none.")


class VernStore(_Model):
    service: VernService


class OutsideStore(_Model):
    outside_system: Id


Location = Annotated[
    Annotated[VernStore, Tag("~service")] | Annotated[OutsideStore, Tag("~outside_system")],
    _by_key("service", "outside_system"),
]


class LegalBasis(_Model):
    article6: tuple[Article6Basis, ...] = Field(min_length=1)
    article9: tuple[Article9Condition, ...] = ()
    reference_nb: Text


class Recipient(_Model):
    name: Text
    role: RecipientRole
    task_nb: Text
    location: Text | None = None


class ProcessingActivity(_Model):
    """A behandling. No data categories means the records are anonymous."""

    name_nb: Text
    purpose_nb: Text
    legal_basis: LegalBasis
    data_categories: tuple[DataCategory, ...]
    data_subjects: tuple[DataSubject, ...] = Field(min_length=1)
    source_nb: Text
    recipients: tuple[Recipient, ...] = ()
    stored_in: tuple[Location, ...] = Field(min_length=1)
    retention_rule: Id
    daily_responsibility_nb: Text | None = None


class OutsideSystem(_Model):
    name: Text
    kind: OutsideSystemKind
    owner_role: Role
    vendor: Text | None = None


class NewsletterList(_Model):
    name_nb: Text
    provider: NewsletterProvider
    provider_list_id: Text | None = Field(description="null until connected to the provider")
    frequency_nb: Text | None = None


class Address(_Model):
    street: Text
    postal_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    city: Text
    note_nb: Text | None = None


class Org(_Model):
    name: Text
    org_number: OrgNumber | None
    address: Address
    website: Annotated[str, StringConstraints(pattern=r"^https://\S+$")]


class Controller(_Model):
    role_title_nb: Text
    email: Email
    phone: Phone


class Dpo(_Model):
    name: Text | None = None
    email: Email
    phone: Phone | None = None


class Modules(_Model):
    registry: bool
    waitlist: bool
    activities: bool
    statistics: bool
    journal_vendor: bool
    newsletter: bool
    dsar: bool
    breaches: bool

    def is_on(self, module: Module) -> bool:
        return bool(getattr(self, module.value))

    def service_is_on(self, service: VernService) -> bool:
        return any(self.is_on(m) for m, s in SERVICE_OF_MODULE.items() if s is service)


class ClientRecord(_Model):
    client_fields: tuple[ClientField, ...]
    anonymous_clients_allowed: bool
    partner_contact: bool


class AgeRules(_Model):
    guardian_consent_under: int | None = Field(ge=1, le=18)


class Deadlines(_Model):
    """The DSAR due date is the earlier of `dsar_answer` and one calendar month (Art. 12(3))."""

    dsar_answer: Duration
    dsar_extension_max: Duration
    breach_authority_hours: int = Field(ge=1, le=72)
    breach_subjects_hours: int | None = Field(ge=1)


class ErasurePolicy(_Model):
    erasure_immediately: bool
    four_eyes_approval: bool


class Statistics(_Model):
    bufdir_reporting: bool
    suppression_threshold: int = Field(ge=1)


class OrgProfile(_Model):
    org: Org
    controller: Controller
    dpo: Dpo | None
    modules: Modules
    processing_activities: Mapping[Id, ProcessingActivity] = Field(min_length=1)
    retention_rules: Mapping[Id, RetentionRule] = Field(min_length=1)
    outside_systems: Mapping[Id, OutsideSystem]
    newsletter_lists: Mapping[Id, NewsletterList]
    client_record: ClientRecord
    age_rules: AgeRules
    deadlines: Deadlines
    erasure: ErasurePolicy
    statistics: Statistics
