import { recordLiveCoverage } from './coverage/record.ts';
import { recordDistrictCoverage } from './db/coverage-district-record.ts';
import { scheduledAlerts } from './db/alerts-run.ts';
import { scheduledCompaction } from './db/raw-retention.ts';
import { keepChargedHoursJob } from './db/bench-charged.ts';
import { keepDailyTotalsJob } from './db/daily-totals.ts';
import { keepSinceOpeningJob } from './db/since-opening.ts';
import { escalateWorkOrders } from './escalation.ts';

/** Cron work (every minute). Each job is independent; one failing does not stop the others. */
type Job = (scheduledTime: number, env: Env) => Promise<void>;

// Add jobs here (e.g. recording live coverage for its trend).
const jobs: Job[] = [
  hourly(recordLiveCoverage), // live 5/10/15-minute coverage per amenity kind → GET /api/v1/coverage/trend
  hourly(recordDistrictCoverage), // live 15-minute coverage per district → the rankings' coverage part
  scheduledAlerts, // time-based alerts, deadlines, the notification outbox
  escalateWorkOrders, // overdue work orders (双十) → escalated_at, notification hook
  hourly(scheduledCompaction, 17), // raw telemetry older than RAW_RETENTION_DAYS, in bounded chunks (rollups kept)
  hourly(keepChargedHoursJob, 23), // benches' charged hours of past months, kept for the rankings
  hourly(keepSinceOpeningJob, 33), // each station's figures since opening through the last closed month (the rest are summed live meanwhile)
  keepDailyTotalsJob, // the overview's sums of the closed days that lack them (after midnight, after a late reading)
];

/** The cron fires every minute; an hourly job runs at minute 3 of each hour (or the one given). */
function hourly(job: Job, minute = 3): Job {
  return (t, env) => (new Date(t).getUTCMinutes() === minute ? job(t, env) : Promise.resolve());
}

export async function onSchedule(scheduledTime: number, env: Env): Promise<void> {
  const results = await Promise.allSettled(jobs.map((j) => j(scheduledTime, env)));
  for (const r of results) if (r.status === 'rejected') console.error('scheduled job failed', String(r.reason));
}
