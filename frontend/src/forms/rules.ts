// The registry API's input rules, checked in the browser as the user types. The API checks again;
// each rule returns the i18n key of its message, or undefined when the value passes.

export type RuleKey =
  | 'validation.required'
  | 'validation.email'
  | 'validation.phone'
  | 'validation.nationalId'
  | 'validation.dateInFuture'
  | 'validation.date'
  | 'validation.tooLong'
  | 'validation.reasonLength'
  | 'validation.nameTooShort'
  | 'validation.endsBeforeStart'
  | 'validation.emailOrPhone'
  | 'validation.code';
export type Rule = (value: string, form: FormData) => RuleKey | undefined;


const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export const email: Rule = (value) =>
  value.length > 254 ? 'validation.tooLong' : EMAIL.test(value) ? undefined : 'validation.email';

/** Norwegian numbers (8 digits) or international ones in E.164 form, spaces and dashes allowed. */
export const phone: Rule = (value) => {
  const compact = value.replace(/[\s\-()]/g, '').replace(/^00/, '+');
  if (/^\d{8}$/.test(compact) || /^\+47\d{8}$/.test(compact)) return undefined;
  return /^\+(?!47)\d{7,15}$/.test(compact) ? undefined : 'validation.phone';
};

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Fødselsnummer, D-nummer and H-nummer: 11 digits, control digits by the rules before and from 2032. */
export const nationalId: Rule = (value) => {
  const digits = value.replace(/\s/g, '');
  if (!/^\d{11}$/.test(digits)) return 'validation.nationalId';
  const d = [...digits].map(Number);
  const weighted = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * (d[i] ?? 0), 0);
  // From 2032 the first control digit may be any that leaves a remainder of 0–3 (weights ...,1).
  const first = (weighted(K1) + (d[9] ?? 0)) % 11;
  const second = (weighted(K2) + (d[10] ?? 0)) % 11;
  return first <= 3 && second === 0 ? undefined : 'validation.nationalId';
};

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const pastDate: Rule = (value) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'validation.date';
  return value > todayIso() ? 'validation.dateInFuture' : undefined;
};

/** A datetime-local value ("2026-11-22T14:05"), in the browser's time zone. */
export const pastMoment: Rule = (value) => {
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return 'validation.date';
  return moment.getTime() > Date.now() ? 'validation.dateInFuture' : undefined;
};

export const maxLength =
  (limit: number): Rule =>
  (value) =>
    value.length > limit ? 'validation.tooLong' : undefined;

export const breakGlassReason: Rule = (value) =>
  value.trim().length < 10 || value.length > 500 ? 'validation.reasonLength' : undefined;

export const searchName: Rule = (value) => (value.trim().length < 2 ? 'validation.nameTooShort' : undefined);

/** Local "YYYY-MM-DDTHH:mm" for a datetime-local input's default. */
export function localMoment(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
