// A labelled select whose first option ("not given") sends null, with its validation message.
import { Field, FieldDescription, Label, Select, SelectOption, ValidationMessage } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';

export function ChoiceField({
  label,
  name,
  emptyLabel,
  error,
  description,
  children,
}: {
  label: string;
  name: string;
  emptyLabel?: string | undefined;
  error: string | undefined;
  description?: string | undefined;
  children: ReactNode;
}) {
  return (
    <Field>
      <Label>{label}</Label>
      {description && <FieldDescription>{description}</FieldDescription>}
      <Select name={name} defaultValue="" aria-invalid={error ? true : undefined}>
        {emptyLabel !== undefined && <SelectOption value="">{emptyLabel}</SelectOption>}
        {children}
      </Select>
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </Field>
  );
}

export function text(form: FormData, field: string): string | null {
  const value = form.get(field);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function oneOf<T extends string>(options: readonly T[], value: string | null): T | null {
  return options.find((option) => option === value) ?? null;
}

export function yesNo(value: string | null): boolean | null {
  return value === 'yes' ? true : value === 'no' ? false : null;
}
