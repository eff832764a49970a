/**
 * Alerts in D1: evaluate the rules for a set of sites and reconcile the stored alerts in one
 * batch; list alerts; the history behind the four-colour cards; threshold overrides.
 * Writes are safe against a racing evaluation of the same site: an alert is opened with
 * INSERT OR IGNORE under the one-open-per-(site, kind, item) index, and each change row is
 * written only when its alert change took effect.
 */
import { readConfig } from '../config.ts';
import { benchConditions, solarConditions, type BenchFacts } from '../domain/alerts/bench-rules.ts';
import { siteCard, type Card, type HistoryAlert, type LadderOptions } from '../domain/alerts/cards.ts';
import { alertKey, BENCH_KINDS, STATION_KINDS, type AlertHead, type AlertKind, type Condition } from '../domain/alerts/kinds.ts';
import { reconcile, type AlertWrite, type OpenAlert } from '../domain/alerts/reconcile.ts';
import { Settings, type SettingRow } from '../domain/alerts/settings.ts';
import { stationConditions, type StationFacts } from '../domain/alerts/station-rules.ts';
import { benchFactReads, refreshProfiles, stationFactReads } from './alert-facts.ts';

const DAY = 86_400_000;
/** How far back the card ladder reads a site's alerts. */
export const HISTORY_DAYS = 90;

const SETTINGS_SQL = 'SELECT key, site, item, value FROM alert_settings';

export async function loadSettings(db: D1Database): Promise<Settings> {
  const r = await db.prepare(SETTINGS_SQL).all<SettingRow>();
  return new Settings(r.results);
}

export const ladderOptions =
  (cfg: Settings) =>
  (site: string): LadderOptions => ({
    windowDays: cfg.get('card_window_days', site),
    cleanDays: cfg.get('card_clean_days', site),
  });

interface AlertRow extends AlertHead {
  opened_at: number;
  resolved_at: number | null;
  clear_since: number | null;
  deadline_at: number | null;
  detail: string;
  data: string | null;
  overdue_noted: number;
}

const ALERT_COLS = `a.id, a.kind, a.site, a.site_kind, a.item, a.colour, a.opened_at, a.resolved_at, a.clear_since, a.deadline_at, a.detail, a.data,
  EXISTS (SELECT 1 FROM alert_changes c WHERE c.alert_id = a.id AND c.change = 'overdue') AS overdue_noted`;

type AlertState = { open: OpenAlert[]; history: Array<HistoryAlert & { site: string }> };

// The alerts a site's card and a reconciliation look at: open, or opened or resolved in the window.
const IN_HISTORY = `(?1 IS NULL OR a.site IN (SELECT value FROM json_each(?1)))
  AND (a.resolved_at IS NULL OR a.opened_at >= ?2 OR a.resolved_at >= ?2)`;

/** The statement reading the open alerts and the recent history of the given sites (null: every site). */
function alertStateStatement(db: D1Database, sites: string[] | null, now: number): D1PreparedStatement {
  return db
    .prepare(`SELECT ${ALERT_COLS} FROM alerts a WHERE ${IN_HISTORY}`)
    .bind(sites === null ? null : JSON.stringify(sites), now - HISTORY_DAYS * DAY);
}

/** Only what the card ladder reads (no texts, no change look-up per alert): the lists read every card. */
function cardHistoryStatement(db: D1Database, sites: string[] | null, now: number): D1PreparedStatement {
  return db
    .prepare(`SELECT a.id, a.site, a.kind, a.item, a.opened_at, a.resolved_at, a.deadline_at FROM alerts a WHERE ${IN_HISTORY}`)
    .bind(sites === null ? null : JSON.stringify(sites), now - HISTORY_DAYS * DAY);
}

function alertStateFrom(rows: AlertRow[]): AlertState {
  const open: OpenAlert[] = [];
  const history: Array<HistoryAlert & { site: string }> = [];
  for (const a of rows) {
    history.push({
      id: a.id,
      site: a.site,
      kind: a.kind,
      item: a.item,
      opened_at: a.opened_at,
      resolved_at: a.resolved_at,
      deadline_at: a.deadline_at,
    });
    if (a.resolved_at === null) open.push({ ...a, overdue_noted: Boolean(a.overdue_noted) });
  }
  return { open, history };
}

/** The statements of one reconciliation; the ids of the change rows it may write. */
function writeStatements(db: D1Database, writes: AlertWrite[], now: number): { st: D1PreparedStatement[]; changeIds: string[] } {
  const st: D1PreparedStatement[] = [];
  const changeIds: string[] = [];
  for (const w of writes) {
    if (w.open) {
      const c = w.open.condition;
      st.push(
        db
          .prepare(
            `INSERT OR IGNORE INTO alerts (id, kind, site, site_kind, item, colour, opened_at, detail, data, deadline_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?7)`,
          )
          .bind(w.open.id, c.kind, c.site, c.site_kind, c.item, w.open.colour, now, c.detail, JSON.stringify(c.data), w.open.deadline_at),
      );
    }
    if (w.update) {
      st.push(
        db
          .prepare('UPDATE alerts SET detail = ?2, data = ?3, clear_since = ?4, updated_at = ?5 WHERE id = ?1 AND resolved_at IS NULL')
          .bind(w.update.id, w.update.detail, w.update.data, w.update.clear_since, now),
      );
    }
    if (w.recolour) {
      st.push(
        db
          .prepare('UPDATE alerts SET colour = ?2, updated_at = ?3 WHERE id = ?1 AND resolved_at IS NULL')
          .bind(w.recolour.id, w.recolour.colour, now),
      );
    }
    if (w.resolve) {
      st.push(
        db.prepare('UPDATE alerts SET resolved_at = ?2, updated_at = ?2 WHERE id = ?1 AND resolved_at IS NULL').bind(w.resolve.id, now),
      );
    }
    if (w.change) {
      const ch = w.change;
      // Only when the change took effect: the alert exists (opened by us), is resolved now (by us), or is still open.
      const cond =
        ch.change === 'opened'
          ? 'SELECT 1 FROM alerts WHERE id = ?2'
          : ch.change === 'resolved'
            ? 'SELECT 1 FROM alerts WHERE id = ?2 AND resolved_at = ?5'
            : 'SELECT 1 FROM alerts WHERE id = ?2 AND resolved_at IS NULL';
      st.push(
        db
          .prepare(
            `INSERT OR IGNORE INTO alert_changes (id, alert_id, change, colour, at) SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (${cond})`,
          )
          .bind(ch.id, ch.alert_id, ch.change, ch.colour, now),
      );
      changeIds.push(ch.id);
    }
  }
  return { st, changeIds };
}

export interface Scope {
  stations: string[] | null;
  benches: string[] | null;
  /** Include solar_underperformance (needs every bench: only when benches is null). */
  solar: boolean;
}

/** What an evaluation wrote: the ids of changes to notify (opened, escalated, overdue), and its round trips. */
export interface Evaluated {
  changes: string[];
  trips: number;
}

/**
 * An evaluation in two halves: read statements, which may run in a batch of their own or at the
 * end of an ingest request's batch (after its writes, so they read what it stored), and then
 * the rules and the reconciliation, which write in one more batch only when an alert changes.
 */
export interface AlertEvaluation {
  statements: D1PreparedStatement[];
  finish: (results: D1Result[]) => Promise<Evaluated>;
}

/** The evaluation of a scope, the consumption profiles taken as they are stored. */
export function alertEvaluation(db: D1Database, env: Partial<Env>, scope: Scope, now: number): AlertEvaluation {
  const { tz } = readConfig(env);
  const sites = scope.stations === null || scope.benches === null ? null : [...scope.stations, ...scope.benches];
  const stationReads = scope.stations === null || scope.stations.length ? stationFactReads(db, scope.stations, now, tz) : null;
  const benchReads = scope.benches === null || scope.benches.length ? benchFactReads(db, scope.benches, now, tz) : null;
  const statements = [
    db.prepare(SETTINGS_SQL),
    alertStateStatement(db, sites, now),
    ...(stationReads?.statements ?? []),
    ...(benchReads?.statements ?? []),
  ];
  const finish = async (results: D1Result[]): Promise<Evaluated> => {
    const settings = new Settings((results[0]!.results ?? []) as SettingRow[]);
    const { open, history } = alertStateFrom((results[1]!.results ?? []) as AlertRow[]);
    let at = 2;
    const part = (n: number) => results.slice(at, (at += n));
    const stations = stationReads ? stationReads.read(part(stationReads.statements.length)) : [];
    const benches = benchReads ? benchReads.read(part(benchReads.statements.length)) : [];
    const changes = await reconcileAndWrite(db, scope, now, tz, settings, stations, benches, open, history);
    return { changes: changes ?? [], trips: changes ? 1 : 0 };
  };
  return { statements, finish };
}

/** The writes of a reconciliation in one batch; null when nothing changes (no round trip). */
async function reconcileAndWrite(
  db: D1Database,
  scope: Scope,
  now: number,
  tz: string,
  settings: Settings,
  stations: StationFacts[],
  benches: BenchFacts[],
  open: OpenAlert[],
  history: Array<HistoryAlert & { site: string }>,
): Promise<string[] | null> {
  const openKeys = new Set(open.map(alertKey));
  const conditions: Condition[] = [];
  for (const s of stations) conditions.push(...stationConditions(s, settings, openKeys, now, tz));
  for (const b of benches) conditions.push(...benchConditions(b, settings, openKeys, now));
  if (scope.solar) conditions.push(...solarConditions(benches, settings, openKeys));

  const stationSet = new Set(stations.map((s) => s.id));
  const benchSet = new Set(benches.map((b) => b.id));
  const inScope = (site: string, kind: AlertKind) =>
    (stationSet.has(site) && STATION_KINDS.includes(kind)) ||
    (benchSet.has(site) && BENCH_KINDS.includes(kind) && (kind !== 'solar_underperformance' || scope.solar));
  const writes = reconcile({
    now,
    settings,
    ladder: ladderOptions(settings),
    conditions,
    open,
    history,
    inScope,
    newId: () => crypto.randomUUID(),
  });
  if (!writes.length) return null;
  const { st, changeIds } = writeStatements(db, writes, now);
  st.push(
    db
      .prepare(`SELECT id FROM alert_changes WHERE id IN (SELECT value FROM json_each(?1)) AND change != 'resolved'`)
      .bind(JSON.stringify(changeIds)),
  );
  const res = await db.batch<{ id: string }>(st);
  return (res[res.length - 1]!.results ?? []).map((r) => r.id);
}

/**
 * Evaluate the rules for the scope and reconcile: profiles refreshed first where stale, then one
 * batch of reads, then one of writes when an alert changes. Returns the ids of changes written
 * that should be notified (opened, escalated, overdue).
 */
export async function evaluateAlerts(db: D1Database, env: Partial<Env>, scope: Scope, now: number): Promise<string[]> {
  const { tz } = readConfig(env);
  if (scope.stations === null || scope.stations.length)
    await refreshProfiles(db, scope.stations, now, tz, scope.stations === null ? 10 : scope.stations.length);
  const evaluation = alertEvaluation(db, env, scope, now);
  return (await evaluation.finish(await db.batch(evaluation.statements))).changes;
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────

export interface AlertView extends AlertHead {
  opened_at: string;
  resolved_at: string | null;
  detail: string;
  data: Record<string, unknown>;
  deadline_at: string | null;
  site_name: string | null;
  district: string | null;
}

export interface AlertFilter {
  state: 'open' | 'resolved' | 'all';
  site?: string;
  kind?: string;
  colour?: string;
  district?: string;
  limit: number;
}

export async function listAlerts(db: D1Database, f: AlertFilter): Promise<AlertView[]> {
  const r = await db
    .prepare(
      `SELECT a.id, a.kind, a.site, a.site_kind, a.item, a.colour, a.opened_at, a.resolved_at, a.detail, a.data, a.deadline_at,
         COALESCE(s.name, d.name, d.id) AS site_name, COALESCE(s.district, p.district) AS district
       FROM alerts a
       LEFT JOIN stations s ON a.site_kind = 'station' AND s.id = a.site
       LEFT JOIN devices d ON a.site_kind = 'bench' AND d.id = a.site
       LEFT JOIN parks p ON p.id = d.site
       WHERE (?1 = 'all' OR (?1 = 'open') = (a.resolved_at IS NULL))
         AND (?2 IS NULL OR a.site = ?2) AND (?3 IS NULL OR a.kind = ?3) AND (?4 IS NULL OR a.colour = ?4)
         AND (?5 IS NULL OR COALESCE(s.district, p.district) = ?5)
       ORDER BY a.resolved_at IS NOT NULL, a.opened_at DESC, a.id LIMIT ?6`,
    )
    .bind(f.state, f.site ?? null, f.kind ?? null, f.colour ?? null, f.district ?? null, f.limit)
    .all<Omit<AlertRow, 'clear_since' | 'overdue_noted'> & { site_name: string | null; district: string | null }>();
  return r.results.map((a) => ({
    id: a.id,
    kind: a.kind,
    site: a.site,
    site_kind: a.site_kind,
    item: a.item,
    colour: a.colour,
    opened_at: new Date(a.opened_at).toISOString(),
    resolved_at: a.resolved_at === null ? null : new Date(a.resolved_at).toISOString(),
    detail: a.detail,
    data: a.data ? (JSON.parse(a.data) as Record<string, unknown>) : {},
    deadline_at: a.deadline_at === null ? null : new Date(a.deadline_at).toISOString(),
    site_name: a.site_name,
    district: a.district,
  }));
}

/** The four-colour card of each site (null: every site with any alert in the history window). */
export async function loadCards(db: D1Database, sites: string[] | null, now: number): Promise<Map<string, Card>> {
  const [settingRows, historyRows] = await db.batch([db.prepare(SETTINGS_SQL), cardHistoryStatement(db, sites, now)]);
  const settings = new Settings((settingRows!.results ?? []) as SettingRow[]);
  const history = (historyRows!.results ?? []) as Array<HistoryAlert & { site: string }>;
  const by = new Map<string, HistoryAlert[]>();
  for (const h of history) {
    let l = by.get(h.site);
    if (!l) by.set(h.site, (l = []));
    l.push(h);
  }
  const ladder = ladderOptions(settings);
  const out = new Map<string, Card>();
  for (const s of sites ?? by.keys()) out.set(s, siteCard(by.get(s) ?? [], now, ladder(s)));
  return out;
}

// ─── Threshold overrides ────────────────────────────────────────────────────────────────────

export async function listSettingRows(db: D1Database): Promise<SettingRow[]> {
  return (await db.prepare('SELECT key, site, item, value FROM alert_settings ORDER BY key, site, item').all<SettingRow>()).results;
}

export async function putSetting(db: D1Database, r: SettingRow, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO alert_settings (key, site, item, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (key, site, item) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .bind(r.key, r.site, r.item, r.value, now)
    .run();
}

export async function deleteSetting(db: D1Database, r: Omit<SettingRow, 'value'>): Promise<boolean> {
  const res = await db.prepare('DELETE FROM alert_settings WHERE key = ?1 AND site = ?2 AND item = ?3').bind(r.key, r.site, r.item).run();
  return res.meta.changes > 0;
}
