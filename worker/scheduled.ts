import { recordLiveCoverage } from './coverage/record.ts';

/** Hourly cron work. Each job is independent; one failing does not stop the others. */
type Job = (scheduledTime: number, env: Env) => Promise<void>;

// Add jobs here (e.g. recording live coverage for its trend).
const jobs: Job[] = [
  recordLiveCoverage, // live 5/10/15-minute coverage per amenity kind → GET /api/v1/coverage/trend
];

export async function onSchedule(scheduledTime: number, env: Env): Promise<void> {
  const results = await Promise.allSettled(jobs.map((j) => j(scheduledTime, env)));
  for (const r of results) if (r.status === 'rejected') console.error('scheduled job failed', String(r.reason));
}
