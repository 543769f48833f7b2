// Moments (ISO date-times from the API) shown in the reader's locale, in Oslo time.

export function formatMoment(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  }).format(new Date(iso));
}

export function osloDate(iso: string): string {
  // en-CA formats as YYYY-MM-DD, which formatDate reads back as a calendar date.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(iso));
}
