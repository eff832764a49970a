import { html, nothing, type TemplateResult } from 'lit';
import { TaskStatus, type Task } from '@lit/task';
import { t } from '../i18n/catalogue.ts';
import { ApiFailure } from '../data/api.ts';

/** What went wrong, in words the reader can act on. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiFailure) {
    const why = {
      network: 'error.network',
      unauthorized: 'error.unauthorized',
      forbidden: 'error.forbidden',
      not_found: 'error.not_found',
      bad_request: 'error.bad_request',
      server: 'error.server',
    } as const;
    return `${t(why[err.kind])} (${err.status || '—'}: ${err.message})`;
  }
  return `${t('error.unknown')} (${String(err instanceof Error ? err.message : err)})`;
}

export function errorBox(err: unknown): TemplateResult {
  return html`<p class="status error" role="alert">${errorMessage(err)}</p>`;
}

/**
 * Pending / error / done for one @lit/task. While a poll re-runs, the last figures stay on screen;
 * a failed refresh shows its reason above them instead of blanking the screen.
 */
export function renderTask<T>(task: Task<ReadonlyArray<unknown>, T>, view: (v: T) => unknown): unknown {
  const value = task.value;
  if (value !== undefined) return html`${task.status === TaskStatus.ERROR ? errorBox(task.error) : nothing}${view(value)}`;
  if (task.status === TaskStatus.ERROR) return errorBox(task.error);
  return html`<p class="status" role="status">${t('state.loading')}</p>`;
}
