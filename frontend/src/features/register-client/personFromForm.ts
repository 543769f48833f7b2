// Turns the form's fields into a PersonCreate body; blank optional fields become null.
import type { Gender, HeardAbout, PersonCreate } from '../../api/types';

export const genders = ['female', 'male', 'other', 'unknown'] as const satisfies readonly Gender[];
export const heardAboutOptions = [
  'friends_family',
  'help_services',
  'internet',
  'brochure',
  'other',
] as const satisfies readonly HeardAbout[];

/** The form's field names, which are also the API's property names (so 422 errors map back). */
export const personFields = [
  'full_name',
  'email',
  'phone',
  'birth_date',
  'gender',
  'heard_about',
  'assigned_counsellor_id',
  'newsletter_opt_in',
] as const;
export type PersonField = (typeof personFields)[number];

function text(form: FormData, field: PersonField): string | null {
  const value = form.get(field);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function oneOf<T extends string>(options: readonly T[], value: string | null): T | null {
  return options.find((option) => option === value) ?? null;
}

export function personFromForm(form: FormData): PersonCreate {
  return {
    full_name: text(form, 'full_name') ?? '',
    email: text(form, 'email'),
    phone: text(form, 'phone'),
    birth_date: text(form, 'birth_date'),
    gender: oneOf(genders, text(form, 'gender')),
    heard_about: oneOf(heardAboutOptions, text(form, 'heard_about')),
    assigned_counsellor_id: text(form, 'assigned_counsellor_id'),
    newsletter_opt_in: form.get('newsletter_opt_in') === 'on',
    anonymous: false,
    journal_consent: false,
  };
}
