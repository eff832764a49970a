import { Task } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-run `refresh` every `ms` while the page is visible; pause when the tab is hidden and refresh
 * at once when it comes back, so figures update while someone watches and cost nothing otherwise.
 */
export class PollController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly refresh: () => void;
  private readonly ms: number;
  private readonly onVisibility = () => {
    if (document.hidden) this.stop();
    else {
      this.refresh();
      this.start();
    }
  };
  constructor(host: ReactiveControllerHost, refresh: () => void, ms = 15_000) {
    this.refresh = refresh;
    this.ms = ms;
    host.addController(this);
  }
  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    if (!document.hidden) this.start();
  }
  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stop();
  }
  private start(): void {
    this.stop();
    this.timer = setInterval(this.refresh, this.ms);
  }
  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** A page's one load without arguments, run when the page connects and again by a PollController. */
export function polledTask<R>(host: ReactiveControllerHost & HTMLElement, load: (signal: AbortSignal) => Promise<R>, ms?: number) {
  const task = new Task(host, { task: (_args, { signal }) => load(signal), args: () => [] as const });
  new PollController(host, () => void task.run(), ms);
  return task;
}
