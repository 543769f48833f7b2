"""The org profile's controlled vocabulary: the enums and which module keeps what."""

from collections.abc import Mapping
from enum import StrEnum


class Role(StrEnum):
    counsellor = "counsellor"
    coordinator = "coordinator"
    manager = "manager"
    dpo = "dpo"


class VernService(StrEnum):
    registry = "registry"
    consent = "consent"
    dsar = "dsar"


class Module(StrEnum):
    registry = "registry"
    waitlist = "waitlist"
    activities = "activities"
    statistics = "statistics"
    journal_vendor = "journal_vendor"
    newsletter = "newsletter"
    dsar = "dsar"
    breaches = "breaches"


SERVICE_OF_MODULE: Mapping[Module, VernService] = {
    Module.registry: VernService.registry,
    Module.waitlist: VernService.registry,
    Module.activities: VernService.registry,
    Module.statistics: VernService.registry,
    Module.journal_vendor: VernService.registry,
    Module.newsletter: VernService.consent,
    Module.dsar: VernService.dsar,
    Module.breaches: VernService.dsar,
}


class Article6Basis(StrEnum):
    """GDPR Art. 6(1), letters (a) to (f) in order."""

    consent = "consent"
    contract = "contract"
    legal_obligation = "legal_obligation"
    vital_interests = "vital_interests"
    public_task = "public_task"
    legitimate_interests = "legitimate_interests"


class Article9Condition(StrEnum):
    """GDPR Art. 9(2), letters (a) to (j) in order: the condition for special categories."""

    explicit_consent = "explicit_consent"
    employment_law = "employment_law"
    vital_interests = "vital_interests"
    not_for_profit_body = "not_for_profit_body"
    made_public = "made_public"
    legal_claims = "legal_claims"
    substantial_public_interest = "substantial_public_interest"
    health_or_social_care = "health_or_social_care"
    public_health = "public_health"
    archiving_research_statistics = "archiving_research_statistics"


class DataCategory(StrEnum):
    name = "name"
    address = "address"
    email = "email"
    phone = "phone"
    birth_date = "birth_date"
    gender = "gender"
    national_id = "national_id"
    free_text = "free_text"
    contact_events = "contact_events"
    intake_date = "intake_date"
    referral_source = "referral_source"
    confidentiality_declaration = "confidentiality_declaration"
    consent_records = "consent_records"
    prior_use = "prior_use"
    abuse_experience = "abuse_experience"
    help_services_contact = "help_services_contact"
    call_metadata = "call_metadata"
    appointments = "appointments"
    billing = "billing"
    online_identifiers = "online_identifiers"
    survey_answers = "survey_answers"
    employment = "employment"
    trade_union_membership = "trade_union_membership"
    job_application = "job_application"


# Categories that always need an Art. 9(2) condition besides the Art. 6 basis.
SPECIAL_CATEGORIES = frozenset({DataCategory.abuse_experience, DataCategory.trade_union_membership})


class DataSubject(StrEnum):
    clients = "clients"
    client_partners = "client_partners"
    guardians = "guardians"
    waitlist_applicants = "waitlist_applicants"
    activity_participants = "activity_participants"
    newsletter_subscribers = "newsletter_subscribers"
    website_visitors = "website_visitors"
    callers = "callers"
    correspondents = "correspondents"
    cooperation_partners = "cooperation_partners"
    visitors = "visitors"
    survey_respondents = "survey_respondents"
    employees = "employees"
    associates = "associates"
    job_applicants = "job_applicants"


class Clock(StrEnum):
    """The event a retention period counts from; `unsubscribed` also covers bounces."""

    last_counsellor_contact = "last_counsellor_contact"
    counsellor_assigned = "counsellor_assigned"
    counselling_ended = "counselling_ended"
    activity_ended = "activity_ended"
    unsubscribed = "unsubscribed"
    event_time = "event_time"
    last_activity = "last_activity"
    statistics_reported = "statistics_reported"
    position_filled = "position_filled"
    accounting_year_end = "accounting_year_end"
    employment_ended = "employment_ended"
    no_longer_needed = "no_longer_needed"


# The clocks a Vern service keeps itself, and the module that keeps each; any other clock
# happens outside Vern and can only be enforced by an outside-system task.
CLOCK_MODULE: Mapping[Clock, Module] = {
    Clock.last_counsellor_contact: Module.registry,
    Clock.counselling_ended: Module.registry,
    Clock.counsellor_assigned: Module.waitlist,
    Clock.activity_ended: Module.activities,
    Clock.unsubscribed: Module.newsletter,
    Clock.no_longer_needed: Module.statistics,
}


class OutsideSystemKind(StrEnum):
    paper_archive = "paper_archive"
    archive_system = "archive_system"
    google_workspace = "google_workspace"
    email = "email"
    accounting = "accounting"
    phone = "phone"
    sms = "sms"
    video = "video"
    journal_vendor = "journal_vendor"
    website = "website"
    web_analytics = "web_analytics"
    course_booking = "course_booking"


class ClientField(StrEnum):
    """A field of the registry's client record (kontaktregister) that a centre may switch on."""

    name = "name"
    address = "address"
    email = "email"
    phone = "phone"
    birth_date = "birth_date"
    gender = "gender"
    national_id = "national_id"
    intake_date = "intake_date"
    referral_source = "referral_source"
    confidentiality_declaration = "confidentiality_declaration"
    newsletter_opt_in = "newsletter_opt_in"


CLIENT_FIELD_CATEGORY: Mapping[ClientField, DataCategory] = {
    **{
        field: DataCategory(field.value)
        for field in ClientField
        if field.value in DataCategory.__members__
    },
    ClientField.newsletter_opt_in: DataCategory.consent_records,
}


class RecipientRole(StrEnum):
    processor = "processor"
    recipient = "recipient"


class NewsletterProvider(StrEnum):
    sendgrid = "sendgrid"
    mailchimp = "mailchimp"
