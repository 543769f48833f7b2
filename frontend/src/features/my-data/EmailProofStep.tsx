// "Bekreft e-postadressen din": the client names an address, gets a 6-digit code there from dsar,
// and types it in; the proof dsar signs then goes with every request, so that what the centre
// holds under that address is found (the BankID login alone finds only what is stored by national id).
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { clients } from '../../api/client';
import { ApiError, fieldErrors, unwrap } from '../../api/problem';
import type { EmailProofStarted } from '../../api/types';
import { email as emailRule } from '../../forms/rules';
import { useEmailProof } from './emailProof';

const CODE = /^\d{6}$/;

type Step = { kind: 'email' } | { kind: 'code'; started: EmailProofStarted; email: string };

export function EmailProofStep() {
  const { t } = useTranslation();
  const { proof, email: proven, setProof } = useEmailProof();
  const [step, setStep] = useState<Step>({ kind: 'email' });
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [emailError, setEmailError] = useState<string>();
  const [codeError, setCodeError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const emailInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  const start = useMutation({
    mutationFn: async (email: string) => unwrap(await clients.dsar.POST('/dsar/me/email-proofs', { body: { email } })),
  });
  const confirm = useMutation({
    mutationFn: async (args: { id: string; code: string }) =>
      unwrap(
        await clients.dsar.POST('/dsar/me/email-proofs/{proof_id}/confirm', {
          params: { path: { proof_id: args.id } },
          body: { code: args.code },
        }),
      ),
  });

  const checkEmail = (value: string) => {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const key = emailRule(trimmed, new FormData());
    return key ? t(key) : undefined;
  };
  const checkCode = (value: string) => (value.trim() === '' || CODE.test(value.trim()) ? undefined : t('validation.code'));

  function failed(error: Error): string {
    if (error instanceof ApiError && error.status === 429) return t('myData.proof.tooMany');
    if (error instanceof ApiError && error.status === 503) return t('myData.proof.notSent');
    if (error instanceof ApiError && error.status === 401) return t('form.sessionExpired');
    return t('form.failed');
  }

  function onSendCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(undefined);
    const value = address.trim();
    const problem = value === '' ? t('validation.required') : checkEmail(value);
    setEmailError(problem);
    if (problem) return emailInput.current?.focus();
    start.mutate(value, {
      onSuccess: (started) => {
        setCode('');
        setCodeError(undefined);
        setStep({ kind: 'code', started, email: value });
        requestAnimationFrame(() => codeInput.current?.focus());
      },
      onError: (error) => {
        if (error instanceof ApiError && error.status === 422 && fieldErrors(error.problem).has('email')) {
          setEmailError(t('validation.email'));
          emailInput.current?.focus();
        } else setNotice(failed(error));
      },
    });
  }

  function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.kind !== 'code') return;
    setNotice(undefined);
    const value = code.trim();
    const problem = value === '' ? t('validation.required') : checkCode(value);
    setCodeError(problem);
    if (problem) return codeInput.current?.focus();
    confirm.mutate(
      { id: step.started.id, code: value },
      {
        onSuccess: (confirmed) => {
          setProof(confirmed.proof, confirmed.email);
          setStep({ kind: 'email' });
          setCode('');
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 422) {
            const message = fieldErrors(error.problem).get('code')?.join(' ') ?? '';
            const left = /(\d+) attempts? left/.exec(message)?.[1];
            setCodeError(left !== undefined ? t('myData.proof.wrongCode', { count: Number(left) }) : t('validation.code'));
            codeInput.current?.focus();
          } else if (error instanceof ApiError && (error.status === 410 || error.status === 404)) {
            setStep({ kind: 'email' });
            setNotice(t('myData.proof.gone'));
            requestAnimationFrame(() => emailInput.current?.focus());
          } else setNotice(failed(error));
        },
      },
    );
  }

  return (
    <section className="stack" aria-labelledby="email-proof-heading">
      <Heading level={2} data-size="md" id="email-proof-heading">
        {t('myData.proof.heading')}
      </Heading>
      <div role="status" className="stack">
        {proof && proven && (
          <Alert data-color="success">
            <Paragraph>{t('myData.proof.confirmed', { email: proven })}</Paragraph>
          </Alert>
        )}
        {step.kind === 'code' && <Paragraph>{t('myData.proof.sent', { email: step.email })}</Paragraph>}
      </div>
      {notice && (
        <Alert data-color="warning" role="alert">
          {notice}
        </Alert>
      )}
      {proof ? (
        <div>
          <Button variant="secondary" onClick={() => setProof(null)}>
            {t('myData.proof.another')}
          </Button>
        </div>
      ) : step.kind === 'email' ? (
        <>
          <Paragraph>{t('myData.proof.intro')}</Paragraph>
          <form className="register-form" noValidate onSubmit={onSendCode} aria-labelledby="email-proof-heading">
            <Textfield
              ref={emailInput}
              label={t('myData.proof.email')}
              name="email"
              type="email"
              autoComplete="email"
              value={address}
              onChange={(event) => {
                setAddress(event.target.value);
                setEmailError(checkEmail(event.target.value));
              }}
              error={emailError}
            />
            <div>
              <Button type="submit" disabled={start.isPending}>
                {start.isPending ? t('myData.proof.sending') : t('myData.proof.sendCode')}
              </Button>
            </div>
          </form>
        </>
      ) : (
        <form className="register-form" noValidate onSubmit={onConfirm} aria-labelledby="email-proof-heading">
          <Textfield
            ref={codeInput}
            label={t('myData.proof.code')}
            description={t('myData.proof.codeHelp')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(event) => {
              setCode(event.target.value);
              setCodeError(checkCode(event.target.value));
            }}
            error={codeError}
          />
          <div className="button-row">
            <Button type="submit" disabled={confirm.isPending}>
              {t('myData.proof.confirm')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setStep({ kind: 'email' });
                setNotice(undefined);
              }}
            >
              {t('myData.proof.changeEmail')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
