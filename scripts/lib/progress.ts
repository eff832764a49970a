/** The backfill's progress bar (cli-progress), in simulated days and messages per second. */
import cliProgress from 'cli-progress';
import { DAY } from '../sim/clock.ts';

export function backfillBar(): { update: (p: { simulatedMs: number; totalMs: number; messages: number }) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      format: ' backfill |{bar}| {percentage}% | {days}/{total_days} days | {messages} messages | {rate} msg/s | {duration_formatted}',
      hideCursor: true,
      barsize: 30,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  let started = false;
  return {
    update(p) {
      const payload = {
        days: (p.simulatedMs / DAY).toFixed(1),
        total_days: (p.totalMs / DAY).toFixed(1),
        messages: p.messages.toLocaleString('en-US'),
        rate: Math.round(p.messages / Math.max(0.001, (Date.now() - t0) / 1000)).toLocaleString('en-US'),
      };
      if (!started) {
        bar.start(Math.max(1, Math.round(p.totalMs / 60_000)), 0, payload);
        started = true;
      }
      bar.update(Math.round(p.simulatedMs / 60_000), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
