// Dates and values of the client's own data, as the page shows them (Oslo time, bokmål).
export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return '–';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  return date.toLocaleDateString(language === 'en' ? 'en-GB' : 'nb-NO', { dateStyle: 'long', timeZone: 'Europe/Oslo' });
}

export function formatMoment(value: string, language: string): string {
  return new Date(value).toLocaleString(language === 'en' ? 'en-GB' : 'nb-NO', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  });
}

/** A stored field's name as words ("last_contact_at" -> "Last contact at"). */
export function fieldName(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
