// Turns the form's fields into a PersonCreate body with only the fields the centre collects;
// blank optional fields become null.
import type { Gender, HeardAbout, PersonCreate } from '../../api/types';

export const genders = ['female', 'male', 'other', 'unknown'] as const satisfies readonly Gender[];
export const heardAboutOptions = [
  'friends_family',
  'help_services',
  'internet',
  'brochure',
  'other',
] as const satisfies readonly HeardAbout[];

/**
 * The form's field names, which are also the API's property names (so 422 errors map back); the
 * nested ones (guardian, partner, the confidentiality declaration) take their errors as a group.
 */
export const personFields = [
  'anonymous',
  'full_name',
  'address',
  'email',
  'phone',
  'birth_date',
  'national_id',
  'gender',
  'heard_about',
  'intake_date',
  'confidentiality_declaration',
  'signed_date',
  'version',
  'guardian',
  'guardian_name',
  'guardian_phone',
  'guardian_email',
  'guardian_consent_date',
  'partner',
  'partner_name',
  'partner_phone',
  'assigned_counsellor_id',
  'journal_consent',
  'newsletter_opt_in',
] as const;
export type PersonField = (typeof personFields)[number];

/** The record's own fields (`GET /registry/profile/fields`), as the API names them. */
export type RecordField = keyof PersonCreate;

function text(form: FormData, field: PersonField): string | null {
  const value = form.get(field);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function oneOf<T extends string>(options: readonly T[], value: string | null): T | null {
  return options.find((option) => option === value) ?? null;
}

/** Age in whole years on `today` of someone born on `born` (ISO dates). */
export function ageOn(born: string, today: Date): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(born);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const before = today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day);
  return today.getFullYear() - year - (before ? 1 : 0);
}

export function personFromForm(form: FormData, on: ReadonlySet<string>, withGuardian: boolean): PersonCreate {
  const anonymous = form.get('anonymous') === 'on';
  const identifying = !anonymous;
  // False is what the API takes for a switch the centre does not have.
  const body: PersonCreate = { anonymous, journal_consent: false, newsletter_opt_in: false };
  const put = <K extends keyof PersonCreate>(key: K, value: PersonCreate[K], identifies = false) => {
    if (on.has(key) && (identifies ? identifying : true)) body[key] = value;
  };
  put('full_name', text(form, 'full_name'), true);
  put('address', text(form, 'address'), true);
  put('email', text(form, 'email'), true);
  put('phone', text(form, 'phone'), true);
  put('national_id', text(form, 'national_id'), true);
  put('birth_date', text(form, 'birth_date'));
  put('gender', oneOf(genders, text(form, 'gender')));
  put('heard_about', oneOf(heardAboutOptions, text(form, 'heard_about')));
  put('intake_date', text(form, 'intake_date'));
  const signed = text(form, 'signed_date');
  put('confidentiality_declaration', signed ? { signed_date: signed, version: text(form, 'version') ?? '' } : null);
  const guardianName = text(form, 'guardian_name');
  put(
    'guardian',
    withGuardian && guardianName
      ? {
          name: guardianName,
          phone: text(form, 'guardian_phone'),
          email: text(form, 'guardian_email'),
          consent_date: text(form, 'guardian_consent_date') ?? '',
        }
      : null,
    true,
  );
  const partnerName = text(form, 'partner_name');
  put('partner', partnerName ? { name: partnerName, phone: text(form, 'partner_phone') } : null, true);
  put('journal_consent', form.get('journal_consent') === 'on');
  put('newsletter_opt_in', form.get('newsletter_opt_in') === 'on');
  body.assigned_counsellor_id = text(form, 'assigned_counsellor_id');
  return body;
}
