// A request's progress per store (one task each): what is done, what waits, and on whom.
import { Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { TaskSummary, TaskStatus } from '../../api/types';

const colour: Record<TaskStatus, 'success' | 'info' | 'warning'> = {
  done: 'success',
  pending: 'info',
  awaiting_vendor: 'info',
  failed: 'warning',
};

export function TaskProgress({ tasks, label }: { tasks: TaskSummary[]; label: string }) {
  const { t } = useTranslation();
  if (tasks.length === 0) return null;
  const done = tasks.filter((task) => task.status === 'done').length;
  return (
    <div className="stack">
      <progress className="task-progress" max={tasks.length} value={done} aria-label={label}>
        {done} / {tasks.length}
      </progress>
      <ul className="task-list" aria-label={label}>
        {tasks.map((task) => (
          <li key={task.id}>
            <span>{task.name}</span>{' '}
            <Tag data-color={colour[task.status]} data-size="sm">
              {task.kind === 'manual' && task.status === 'pending'
                ? t('taskStatus.manual')
                : t(`taskStatus.${task.status}`)}
            </Tag>
          </li>
        ))}
      </ul>
    </div>
  );
}
