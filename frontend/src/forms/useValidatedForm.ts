// Form errors from two sources: the rules as the user types, and the API's 422 problem+json
// (errors[].field) after submitting. Both end up next to the field they name.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, fieldErrors } from '../api/problem';
import type { Rule, RuleKey } from './rules';

export type Errors<F extends string> = Partial<Record<F, string>>;

export function useValidatedForm<F extends string>(
  fields: readonly F[],
  rules: Partial<Record<F, Rule>>,
  required: readonly F[] = [],
  /** Rules over several fields, checked on submit (e.g. "an email address or a phone number"). */
  whole?: (form: FormData) => Partial<Record<F, RuleKey>>,
) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Errors<F>>({});
  const [general, setGeneral] = useState<string[]>([]);

  const isField = (name: string): name is F => (fields as readonly string[]).includes(name);

  function check(name: F, form: FormData, submitting: boolean): string | undefined {
    const raw = form.get(name);
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') return submitting && required.includes(name) ? t('validation.required') : undefined;
    const key = rules[name]?.(value, form);
    return key ? t(key) : undefined;
  }

  /** Validates the field that changed (onChange of the form bubbles from every input). */
  function onChange(event: FormEvent<HTMLFormElement>) {
    const target = event.target as HTMLInputElement;
    if (!isField(target.name)) return;
    const message = check(target.name, new FormData(event.currentTarget), false);
    setErrors((previous) => ({ ...previous, [target.name]: message }));
  }

  function focusFirst(form: HTMLFormElement, found: Errors<F>) {
    const first = fields.find((field) => found[field]);
    const element = first ? form.elements.namedItem(first) : null;
    if (element instanceof HTMLElement) element.focus();
    else if (element instanceof RadioNodeList && element[0] instanceof HTMLElement) element[0].focus();
  }

  /** Checks every field before sending; false (and focus on the first) when one fails. */
  function validateAll(form: HTMLFormElement): boolean {
    const data = new FormData(form);
    const found: Errors<F> = {};
    for (const field of fields) {
      const message = check(field, data, true);
      if (message) found[field] = message;
    }
    for (const [field, key] of Object.entries(whole?.(data) ?? {}) as [F, RuleKey][]) {
      found[field] ??= t(key);
    }
    setErrors(found);
    const failed = Object.values(found).some(Boolean);
    setGeneral(failed ? [t('form.checkFields')] : []);
    if (failed) focusFirst(form, found);
    return !failed;
  }

  /**
   * Shows a 422's messages next to the fields they name. `said` gives a field the form's own
   * sentence in place of the service's text; when it covers every field refused, the service's
   * `detail` (which repeats their texts) is left out too.
   */
  function showApiError(form: HTMLFormElement, error: Error, said: Errors<F> = {}) {
    if (!(error instanceof ApiError)) return setGeneral([t('form.failed')]);
    if (error.status === 401) return setGeneral([t('form.sessionExpired')]);
    if (error.status === 403) return setGeneral([t('form.forbidden')]);
    const found: Errors<F> = {};
    const other: string[] = [];
    let allSaid = true;
    for (const [name, messages] of fieldErrors(error.problem)) {
      if (isField(name)) found[name] = said[name] ?? messages.join(' ');
      else other.push(...messages);
      allSaid &&= isField(name) && said[name] !== undefined;
    }
    setErrors(found);
    const summary = Object.keys(found).length > 0 ? t('form.checkFields') : t('form.failed');
    const shown = Object.keys(found).length > 0 && allSaid;
    const detail = other.length > 0 ? other : error.problem.detail && !shown ? [error.problem.detail] : [];
    setGeneral([summary, ...detail]);
    focusFirst(form, found);
  }

  function reset() {
    setErrors({});
    setGeneral([]);
  }

  return { errors, general, onChange, validateAll, showApiError, reset };
}
