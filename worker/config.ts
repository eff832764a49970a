/** Runtime configuration read from the Worker's vars, with the documented defaults. */
export interface Config {
  /** IANA time zone of the city: days, hours and "today" in every report. */
  tz: string;
  /** Telemetry older than this many days is rejected (`ts_too_old`). */
  maxAgeDays: number;
  /** Telemetry further ahead of server time than this is rejected (`ts_in_future`). */
  maxFutureMs: number;
  /**
   * Days of raw telemetry (ledger and typed rows) kept by the compaction job; rollups are kept for
   * ever. Never below `maxAgeDays + 2`: an hour still open to late readings must keep its raw rows,
   * because ingest recomputes a touched hour's rollups from them.
   */
  rawRetentionDays: number;
  /** Walking speed for coverage, metres per minute. */
  walkSpeedMPerMin: number;
  /** Optional raster tile URL for the dashboard map. */
  mapTileUrl: string;
  /** Language of WeCom / DingTalk notifications (`NOTIFY_LOCALE`): zh-CN (default) or en. */
  notifyLocale: 'zh-CN' | 'en';
}

function positiveNumber(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Zone names already checked (building a formatter to check one costs more than a request's other config). */
const zones = new Map<string, string>();

function validTimeZone(raw: string | undefined): string {
  if (!raw) return 'Asia/Shanghai';
  let tz = zones.get(raw);
  if (tz === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: raw });
      tz = raw;
    } catch {
      tz = 'Asia/Shanghai';
    }
    if (zones.size < 16) zones.set(raw, tz);
  }
  return tz;
}

export function readConfig(env: Partial<Env>): Config {
  const maxAgeDays = positiveNumber(env.MAX_AGE_DAYS, 90);
  return {
    tz: validTimeZone(env.CITY_TZ),
    maxAgeDays,
    rawRetentionDays: Math.max(positiveNumber(env.RAW_RETENTION_DAYS, 120), Math.ceil(maxAgeDays) + 2),
    maxFutureMs: 5 * 60_000,
    walkSpeedMPerMin: positiveNumber(env.WALK_SPEED_M_PER_MIN, 75),
    mapTileUrl: env.MAP_TILE_URL ?? '',
    notifyLocale: env.NOTIFY_LOCALE === 'en' ? 'en' : 'zh-CN',
  };
}
