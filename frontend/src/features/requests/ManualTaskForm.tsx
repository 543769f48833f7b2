// Marking an outside system's manual task done: a note of what was done (required), and for an
// erasure what had to be kept and under which law. The last task done completes the request.
import { Alert, Button, Fieldset, FieldsetDescription, FieldsetLegend, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { useRequestConflict } from './conflicts';
import { taskProblem } from './problems';
import { useTaskDone, type DataRequestRead, type TaskDone } from './queries';

type Task = DataRequestRead['tasks'][number];

const NOTE_MAX = 2000;
const fields = ['note', 'kept_category', 'kept_reason', 'kept_law'] as const;

export function ManualTaskForm({
  request,
  task,
  labelledBy,
  onDone,
  onConflict,
}: {
  request: DataRequestRead;
  task: Task;
  labelledBy: string;
  onDone: (name: string) => void;
  /** A 409: the request changed meanwhile; it is fetched again, which may take this form away. */
  onConflict: (messages: string[]) => void;
}) {
  const { t } = useTranslation();
  const done = useTaskDone(request.id);
  const conflictOf = useRequestConflict(request.id);
  const form = useValidatedForm(
    fields,
    {
      note: (value) => (value.length > NOTE_MAX ? 'validation.tooLong' : undefined),
      kept_category: (value) => (value.length > 200 ? 'validation.tooLong' : undefined),
      kept_reason: (value) => (value.length > 500 ? 'validation.tooLong' : undefined),
      kept_law: (value) => (value.length > 200 ? 'validation.tooLong' : undefined),
    },
    ['note'],
    // What was kept is told with its reason, or not at all.
    (data) => {
      const category = text(data, 'kept_category');
      const reason = text(data, 'kept_reason');
      if (category && !reason) return { kept_reason: 'validation.required' };
      if (reason && !category) return { kept_category: 'validation.required' };
      return {};
    },
  );
  const [apiProblem, setApiProblem] = useState<ReturnType<typeof taskProblem> | null>(null);
  const erasure = task.operation === 'erase';

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setApiProblem(null);
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const category = text(data, 'kept_category');
    const reason = text(data, 'kept_reason');
    const law = text(data, 'kept_law');
    const body: TaskDone = {
      note: text(data, 'note') ?? '',
      ...(erasure && category && reason ? { kept: [{ category, reason, law: law ?? null }] } : {}),
    };
    // The task leaves the list once done, unmounting this form: the promise still resolves.
    done.mutateAsync({ taskId: task.id, body }).then(
      () => onDone(task.name),
      (error: Error) => {
        const changed = conflictOf(error);
        if (changed) onConflict(changed);
        else setApiProblem(taskProblem(error, t));
      },
    );
  }

  const general = form.general.length > 0 ? form.general : (apiProblem?.general ?? []);
  return (
    <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby={labelledBy}>
      <Textfield
        multiline
        rows={3}
        label={t('requestTasks.note')}
        description={t('requestTasks.noteHelp')}
        name="note"
        required
        error={form.errors.note ?? apiProblem?.note}
      />
      {erasure && (
        <Fieldset>
          <FieldsetLegend>{t('requestTasks.keptLegend')}</FieldsetLegend>
          <FieldsetDescription>{t('requestTasks.keptHelp')}</FieldsetDescription>
          <Textfield label={t('requestTasks.keptCategory')} name="kept_category" error={form.errors.kept_category} />
          <Textfield label={t('requestTasks.keptReason')} name="kept_reason" error={form.errors.kept_reason} />
          <Textfield
            label={t('requestTasks.keptLaw')}
            description={t('requestTasks.keptLawHelp')}
            name="kept_law"
            error={form.errors.kept_law}
          />
          {apiProblem?.kept && <Alert data-color="danger">{apiProblem.kept}</Alert>}
        </Fieldset>
      )}
      <FormAlert messages={general} />
      <div className="button-row">
        <Button type="submit" disabled={done.isPending}>
          {t('requestTasks.markDone')}
        </Button>
      </div>
    </form>
  );
}
