// Moving a request on: the next statuses the lifecycle allows, how the identity was checked when
// verifying it, and the reason when rejecting it. An erasure awaiting approval gets a plain
// four-eyes approve button; the service refuses it to whoever handled the request.
import { Alert, Button, Field, Heading, Label, Paragraph, Select, SelectOption, ValidationMessage } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { FormAlert } from '../../forms/FormAlert';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { IDENTITY_CHECKS, nextStatuses, REJECTION_REASONS } from './lifecycle';
import { useRequestConflict } from './conflicts';
import { taskProblem } from './problems';
import {
  useTransition,
  type DataRequestRead,
  type RequestStatus,
  type RequestTransition,
} from './queries';

const fields = ['status', 'identity_check', 'rejection_reason'] as const;

const outcomeColor: Record<RequestStatus, 'success' | 'info' | 'warning' | 'danger'> = {
  received: 'info',
  identity_verified: 'success',
  in_progress: 'success',
  awaiting_approval: 'success',
  approved: 'success',
  completed: 'success',
  failed: 'danger',
  rejected: 'info',
  withdrawn: 'info',
};

export function TransitionForm({ request }: { request: DataRequestRead }) {
  const { t } = useTranslation();
  const transition = useTransition(request.id);
  const form = useValidatedForm(fields, {}, ['status']);
  const [target, setTarget] = useState<RequestStatus | ''>('');
  // Whether a move made here has gone through; what it says is the request's status now, which
  // may have moved on since (an approved erasure completed by its calls, a retry, a colleague).
  const [done, setDone] = useState(false);
  const [approvalRefused, setApprovalRefused] = useState<string | null>(null);
  // A 409: the request is not where this page showed it; it is fetched again.
  const [conflict, setConflict] = useState<string[]>([]);
  const conflictOf = useRequestConflict(request.id);
  const options = nextStatuses(request.status, request.type);

  function send(element: HTMLFormElement, body: RequestTransition) {
    setDone(false);
    setConflict([]);
    transition.mutate(body, {
      onSuccess: () => {
        setDone(true);
        setTarget('');
        element.reset();
      },
      onError: (error) => {
        const changed = conflictOf(error);
        if (!changed) return form.showApiError(element, error);
        form.reset();
        setConflict(changed);
      },
    });
  }

  function approve() {
    setDone(false);
    setApprovalRefused(null);
    transition.mutate(
      { status: 'approved' },
      {
        onSuccess: () => setDone(true),
        onError: (error) => setApprovalRefused((conflictOf(error) ?? taskProblem(error, t).general).join(' ')),
      },
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const status = options.find((s) => s === data.get('status'));
    if (!status) return;
    const identity = IDENTITY_CHECKS.find((c) => c === data.get('identity_check'));
    const reason = REJECTION_REASONS.find((r) => r === data.get('rejection_reason'));
    send(element, {
      status,
      ...(status === 'identity_verified' && identity ? { identity_check: identity } : {}),
      ...(status === 'rejected' && reason ? { rejection_reason: reason } : {}),
    });
  }

  const outcome = (
    <div role="status">
      {done && <Alert data-color={outcomeColor[request.status]}>{t('transition.done', { status: t(`requestStatus.${request.status}`) })}</Alert>}
    </div>
  );
  // A closed request has no next step; the outcome of the last one (or why it was refused) stays.
  if (options.length === 0) {
    return done || conflict.length > 0 ? (
      <section className="stack" aria-labelledby="transition-heading">
        <Heading level={2} data-size="md" id="transition-heading">
          {t('transition.heading')}
        </Heading>
        {outcome}
        <FormAlert messages={conflict} />
      </section>
    ) : null;
  }
  return (
    <section className="stack" aria-labelledby="transition-heading">
      <Heading level={2} data-size="md" id="transition-heading">
        {t('transition.heading')}
      </Heading>
      {request.status === 'awaiting_approval' && (
        <div className="stack">
          <Paragraph>{t('transition.fourEyes')}</Paragraph>
          <div>
            <Button type="button" disabled={transition.isPending} onClick={approve}>
              {t('transition.approve')}
            </Button>
          </div>
          {approvalRefused && <FormAlert messages={[approvalRefused]} />}
        </div>
      )}
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="transition-heading">
        <Field>
          <Label>{t('transition.to')}</Label>
          <Select
            name="status"
            value={target}
            onChange={(event) => setTarget(options.find((s) => s === event.target.value) ?? '')}
            aria-invalid={form.errors.status ? true : undefined}
          >
            <SelectOption value="">{t('transition.choose')}</SelectOption>
            {options.map((status) => (
              <SelectOption key={status} value={status}>
                {t(`transitionTo.${status}`)}
              </SelectOption>
            ))}
          </Select>
          {form.errors.status && <ValidationMessage>{form.errors.status}</ValidationMessage>}
        </Field>
        {target === 'identity_verified' && !request.identity_check && (
          <Field>
            <Label>{t('requests.identityCheck')}</Label>
            <Select name="identity_check" defaultValue="" aria-invalid={form.errors.identity_check ? true : undefined}>
              <SelectOption value="">{t('transition.choose')}</SelectOption>
              {IDENTITY_CHECKS.map((check) => (
                <SelectOption key={check} value={check}>
                  {t(`identityCheck.${check}`)}
                </SelectOption>
              ))}
            </Select>
            {form.errors.identity_check && <ValidationMessage>{form.errors.identity_check}</ValidationMessage>}
          </Field>
        )}
        {target === 'rejected' && (
          <Field>
            <Label>{t('requests.rejectionReason')}</Label>
            <Select name="rejection_reason" defaultValue="" aria-invalid={form.errors.rejection_reason ? true : undefined}>
              <SelectOption value="">{t('transition.choose')}</SelectOption>
              {REJECTION_REASONS.map((reason) => (
                <SelectOption key={reason} value={reason}>
                  {t(`rejectionReason.${reason}`)}
                </SelectOption>
              ))}
            </Select>
            {form.errors.rejection_reason && <ValidationMessage>{form.errors.rejection_reason}</ValidationMessage>}
          </Field>
        )}
        <FormAlert messages={form.general.length > 0 ? form.general : conflict} />
        <div>
          <Button type="submit" variant="secondary" disabled={transition.isPending}>
            {t('transition.submit')}
          </Button>
        </div>
      </form>
      {outcome}
    </section>
  );
}
