// Shapes of the registry API as the SPA uses them, taken from the generated paths.
import type { paths } from './registry';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type PersonSummary = Json<paths['/registry/persons']['get']['responses'][200]>[number];
export type PersonCreate = Json<paths['/registry/persons']['post']['requestBody']>;
export type Counsellor = Json<paths['/registry/counsellors']['get']['responses'][200]>[number];
export type Gender = NonNullable<PersonCreate['gender']>;
export type HeardAbout = NonNullable<PersonCreate['heard_about']>;
export type PersonRead = Json<paths['/registry/persons/{person_id}']['get']['responses'][200]>;
export type ContactRead = Json<paths['/registry/persons/{person_id}/contacts']['get']['responses'][200]>[number];
export type ContactCreate = Json<paths['/registry/persons/{person_id}/contacts']['post']['requestBody']>;
export type ContactKind = ContactCreate['kind'];
export type WaitlistEntrySummary = Json<paths['/registry/waitlist']['get']['responses'][200]>[number];
export type WaitlistEntryRead = Json<paths['/registry/waitlist/{entry_id}']['get']['responses'][200]>;
export type WaitlistEntryCreate = Json<paths['/registry/waitlist']['post']['requestBody']>;
export type WaitlistPromotion = Json<paths['/registry/waitlist/{entry_id}/promotion']['post']['requestBody']>;
export type PromotedField = WaitlistPromotion['agreed_fields'][number];
export type AffectedAs = NonNullable<WaitlistEntryCreate['affected_as']>;
export type AbuseKind = NonNullable<WaitlistEntryCreate['abuse_kind']>;
export type ActivityRead = Json<paths['/registry/activities']['get']['responses'][200]>[number];
export type ActivityKind = ActivityRead['kind'];
export type RegistrationRead = Json<
  paths['/registry/activities/{activity_id}/registrations']['get']['responses'][200]
>[number];
export type RegistrationCreate = Json<paths['/registry/activities/{activity_id}/registrations']['post']['requestBody']>;
export type StatisticsTable = Json<paths['/registry/statistics']['get']['responses'][200]>;
export type StatisticsCell = StatisticsTable['cells'][number];
export type PrivacyNotice = Json<paths['/registry/privacy-notice']['get']['responses'][200]>;
export type NoticeContact = PrivacyNotice['controller'];

// Shapes of the dsar API.
type DsarPaths = import('./dsar').paths;
export type DataRequestRead = Json<DsarPaths['/dsar/requests/{request_id}']['get']['responses'][200]>;
export type DataRequestCreate = Json<DsarPaths['/dsar/requests']['post']['requestBody']>;
export type RequestStatus = DataRequestRead['status'];
export type RequestType = DataRequestRead['type'];
export type AccessPackage = Json<DsarPaths['/dsar/requests/{request_id}/package']['get']['responses'][200]>;
export type ServiceExport = AccessPackage['services'][string];
export type PackageLabels = Json<DsarPaths['/dsar/packages/labels']['get']['responses'][200]>;
export type EmailProofStarted = Json<DsarPaths['/dsar/me/email-proofs']['post']['responses'][202]>;
export type EmailProofConfirmed = Json<DsarPaths['/dsar/me/email-proofs/{proof_id}/confirm']['post']['responses'][200]>;
export type TaskRead = DataRequestRead['tasks'][number];
// A list of requests shows each without identifiers, and each task's store and status only.
export type DataRequestSummary = Json<DsarPaths['/dsar/requests']['get']['responses'][200]>['items'][number];
export type TaskSummary = DataRequestSummary['tasks'][number];
export type TaskStatus = TaskRead['status'];

// Shapes of consent's self-service API (a client's own newsletters).
type ConsentPaths = import('./consent').paths;
export type MySubscription = Json<ConsentPaths['/consent/me/subscriptions']['get']['responses'][200]>[number];
export type MySubscriptionState = MySubscription['state'];
