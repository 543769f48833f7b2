// The request carried out store by store (registry, consent, the journal vendor, outside systems):
// the progress, each failed call's error with a "try again", and each outside system's manual
// task with its checklist and a form to mark it done with a note of what was done (after an
// erasure the note is gone with the request's personal data, and the table says so).
import {
  Alert,
  Button,
  Card,
  Heading,
  Paragraph,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Tag,
} from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { FormAlert } from '../../forms/FormAlert';
import { formatDate } from '../clients/formatDate';
import { formatMoment } from '../client/formatMoment';
import { Failure } from './Failure';
import { ManualTaskForm } from './ManualTaskForm';
import { taskProblem } from './problems';
import { useRetryTasks, type DataRequestRead } from './queries';

type Task = DataRequestRead['tasks'][number];

const taskColor: Record<Task['status'], 'success' | 'danger' | 'warning' | 'info'> = {
  done: 'success',
  failed: 'danger',
  awaiting_vendor: 'warning',
  pending: 'info',
};

const CLOSED = new Set<DataRequestRead['status']>(['completed', 'rejected', 'withdrawn']);

/** An automatic call that has not gone through yet: the ones "Prøv igjen" makes again. */
function isOpenCall(task: Task): boolean {
  return task.kind !== 'manual' && (task.status === 'failed' || task.status === 'pending');
}

export function TaskProgress({ request }: { request: DataRequestRead }) {
  const { t } = useTranslation();
  const tasks = request.tasks;
  const finished = tasks.filter((task) => task.status === 'done').length;
  const open = !CLOSED.has(request.status);
  const manual = tasks.filter((task) => task.kind === 'manual' && task.status !== 'done');
  const [lastDone, setLastDone] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string[]>([]);
  const marked = (name: string) => {
    setConflict([]);
    setLastDone(name);
  };
  const refused = (messages: string[]) => {
    setLastDone(null);
    setConflict(messages);
  };
  if (tasks.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="tasks-heading">
      <Heading level={2} data-size="md" id="tasks-heading">
        {t('requests.tasksHeading')}
      </Heading>
      <Paragraph>{t('requests.tasksProgress', { finished, total: tasks.length })}</Paragraph>
      <progress className="progress" value={finished} max={tasks.length} aria-labelledby="tasks-heading" />
      <TaskTable tasks={tasks} />
      {open && <RetryTasks request={request} />}
      {open && manual.length > 0 && (
        <section className="stack" aria-labelledby="manual-tasks-heading">
          <Heading level={3} data-size="sm" id="manual-tasks-heading">
            {t('requestTasks.manualHeading')}
          </Heading>
          <Paragraph data-size="sm">{t('requestTasks.manualHelp')}</Paragraph>
          {manual.map((task) => (
            <ManualTask key={task.id} request={request} task={task} onDone={marked} onConflict={refused} />
          ))}
        </section>
      )}
      <div role="status">{lastDone && <Alert data-color="success">{t('requestTasks.marked', { name: lastDone })}</Alert>}</div>
      <FormAlert messages={conflict} />
    </section>
  );
}

function TaskTable({ tasks }: { tasks: Task[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('requests.tasksHeading')}>
      <Table zebra>
        <TableHead>
          <TableRow>
            <TableHeaderCell>{t('requests.taskStore')}</TableHeaderCell>
            <TableHeaderCell>{t('requests.taskKind')}</TableHeaderCell>
            <TableHeaderCell>{t('requests.taskStatus')}</TableHeaderCell>
            <TableHeaderCell>{t('requestTasks.details')}</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {tasks.map((task) => (
            <TableRow key={task.id}>
              <TableCell>{task.name}</TableCell>
              <TableCell>{t(`taskKind.${task.kind}`)}</TableCell>
              <TableCell>
                <Tag data-color={taskColor[task.status]}>{t(`taskStatus.${task.status}`)}</Tag>
              </TableCell>
              <TableCell>
                {task.status === 'done' && task.done_at && (
                  <span>
                    {t('requestTasks.doneAt', { moment: formatMoment(task.done_at, i18n.language) })}
                    {task.note ? ` ${t('requestTasks.noteSaid', { note: task.note })}` : ''}
                    {task.note_removed ? ` ${t('requestTasks.noteRemoved')}` : ''}
                  </span>
                )}
                {task.status === 'failed' && <CallFailure task={task} />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/**
 * Why a call failed, in the user's words from the kind of failure dsar recorded (and the status
 * the store answered), with dsar's own technical text (English, for whoever runs the services)
 * below it.
 */
function CallFailure({ task }: { task: Task }) {
  const { t, i18n } = useTranslation();
  const kind = task.error_kind ?? 'unknown';
  return (
    <Failure technical={task.error}>
      {t('requestTasks.failedAfter', { count: task.attempts })}{' '}
      {t(`callFailure.${kind}`, { status: task.error_status ?? '' })}
      {task.next_attempt_at
        ? ` ${t('requestTasks.nextAttempt', { moment: formatMoment(task.next_attempt_at, i18n.language) })}`
        : ''}
    </Failure>
  );
}

/** Makes the request's open calls again now; the progress shows while they run. */
function RetryTasks({ request }: { request: DataRequestRead }) {
  const { t } = useTranslation();
  const retry = useRetryTasks(request.id);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<string[]>([]);

  function run() {
    setOutcome(null);
    setProblem([]);
    retry.mutate(undefined, {
      onSuccess: (updated) => {
        const stillOpen = updated.tasks.filter(isOpenCall).length;
        setOutcome(stillOpen === 0 ? t('requestTasks.retryAllThrough') : t('requestTasks.retryStillFailing', { count: stillOpen }));
      },
      onError: (error) => setProblem(taskProblem(error, t).general),
    });
  }

  const failed = request.tasks.filter((task) => task.kind !== 'manual' && task.status === 'failed').length;
  // The outcome stays in view after the last call went through and the button is gone.
  return (
    <div className="stack">
      {request.tasks.some(isOpenCall) && (
        <>
          <Paragraph data-size="sm">
            {failed > 0 ? t('requestTasks.retryHelpFailed', { count: failed }) : t('requestTasks.retryHelpPending')}
          </Paragraph>
          <div>
            <Button type="button" variant="secondary" disabled={retry.isPending} onClick={run}>
              {t('requestTasks.retry')}
            </Button>
          </div>
        </>
      )}
      <div role="status">
        {retry.isPending && (
          <span className="button-row">
            <Spinner aria-hidden data-size="sm" /> {t('requestTasks.retrying')}
          </span>
        )}
        {outcome && <Paragraph>{outcome}</Paragraph>}
      </div>
      <FormAlert messages={problem} />
    </div>
  );
}

const ROLES = ['counsellor', 'coordinator', 'manager', 'dpo'] as const;

function ManualTask({
  request,
  task,
  onDone,
  onConflict,
}: {
  request: DataRequestRead;
  task: Task;
  onDone: (name: string) => void;
  onConflict: (messages: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const headingId = `task-${task.id}-heading`;
  const role = ROLES.find((r) => r === task.owner_role);
  const roleName = (owner: string) => (role ? t(`role.${role}`) : owner);
  return (
    <Card data-color="neutral" className="stack">
      <section className="stack" aria-labelledby={headingId}>
        <Heading level={4} data-size="xs" id={headingId}>
          {task.name}
        </Heading>
        <Paragraph data-size="sm">
          {t('requestTasks.due', { date: formatDate(task.due_date, i18n.language) })}
          {task.owner_role ? ` ${t('requestTasks.owner', { role: roleName(task.owner_role) })}` : ''}
        </Paragraph>
        {task.checklist.length > 0 && (
          <ul aria-label={t('requestTasks.checklist', { name: task.name })}>
            {task.checklist.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
        )}
        <ManualTaskForm request={request} task={task} labelledBy={headingId} onDone={onDone} onConflict={onConflict} />
      </section>
    </Card>
  );
}
