// Risk levels of a breach (Art. 33/34), as dsar names them.
import type { BreachRisk } from './queries';

export const BREACH_RISKS: readonly BreachRisk[] = ['none', 'risk', 'high_risk'];

/** A datetime-local input's value (the reader's local time) as an ISO moment, or null when empty. */
export function momentFromInput(value: FormDataEntryValue | null): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An ISO moment as a datetime-local input's value, in the reader's local time. */
export function inputFromMoment(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
