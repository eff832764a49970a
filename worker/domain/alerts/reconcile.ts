/**
 * From the conditions that hold now to changes of the stored alerts, for the sites and kinds that
 * were evaluated: open what is new (one per site, kind and item), keep what still holds, resolve
 * what has stayed clear for the dwell time, and mark what is past its deadline. Pure.
 */
import { kindLadder, type HistoryAlert, type LadderOptions } from './cards.ts';
import { alertKey, colourRank, type AlertColour, type AlertHead, type AlertKind, type CardColour, type Condition } from './kinds.ts';
import type { Settings } from './settings.ts';

export interface OpenAlert extends AlertHead {
  opened_at: number;
  clear_since: number | null;
  deadline_at: number | null;
  detail: string;
  data: string | null;
  /** Whether its overdue change has been recorded. */
  overdue_noted: boolean;
}

export type ChangeKind = 'opened' | 'escalated' | 'overdue' | 'resolved';

export interface AlertWrite {
  /** insert a new open alert */
  open?: { id: string; condition: Condition; colour: AlertColour; deadline_at: number };
  /** refresh an open alert's figures and its clear-since mark */
  update?: { id: string; detail: string; data: string; clear_since: number | null };
  /** raise an open alert's colour (never lowered while open) */
  recolour?: { id: string; colour: AlertColour };
  resolve?: { id: string };
  change?: { id: string; alert_id: string; change: ChangeKind; colour: AlertColour };
}

export interface ReconcileInput {
  now: number;
  settings: Settings;
  ladder: (site: string) => LadderOptions;
  conditions: readonly Condition[];
  /** Open alerts of the evaluated scope. */
  open: readonly OpenAlert[];
  /** Recent alert history of the evaluated sites (for the card colour of a new alert). */
  history: readonly (HistoryAlert & { site: string })[];
  /** Which (site, kind) pairs were evaluated: an open alert outside is left alone. */
  inScope: (site: string, kind: AlertKind) => boolean;
  newId: () => string;
}

const atLeastYellow = (c: CardColour): AlertColour => (c === 'blue' ? 'yellow' : c);

export function reconcile(r: ReconcileInput): AlertWrite[] {
  const out: AlertWrite[] = [];
  const holding = new Map<string, Condition>();
  for (const c of r.conditions) if (r.inScope(c.site, c.kind) && !holding.has(alertKey(c))) holding.set(alertKey(c), c);
  const openBy = new Map<string, OpenAlert>();
  for (const a of r.open) openBy.set(alertKey(a), a);

  const ladderColour = (site: string, kind: AlertKind, extra: HistoryAlert[]): CardColour => {
    const past = r.history.filter((h) => h.site === site && h.kind === kind);
    return kindLadder(kind, [...past, ...extra], r.now, r.ladder(site)).card.colour;
  };

  for (const [key, c] of holding) {
    const a = openBy.get(key);
    if (!a) {
      const id = r.newId();
      const deadline = r.now + r.settings.deadlineMs(c.kind, c.site);
      const colour = atLeastYellow(
        ladderColour(c.site, c.kind, [{ id, kind: c.kind, item: c.item, opened_at: r.now, resolved_at: null, deadline_at: deadline }]),
      );
      out.push({
        open: { id, condition: c, colour, deadline_at: deadline },
        change: { id: r.newId(), alert_id: id, change: 'opened', colour },
      });
      continue;
    }
    const data = JSON.stringify(c.data);
    if (a.detail !== c.detail || a.data !== data || a.clear_since !== null)
      out.push({ update: { id: a.id, detail: c.detail, data, clear_since: null } });
  }

  for (const a of r.open) {
    if (!r.inScope(a.site, a.kind)) continue;
    if (!holding.has(alertKey(a))) {
      if (a.clear_since === null) out.push({ update: { id: a.id, detail: a.detail, data: a.data ?? '{}', clear_since: r.now } });
      else if (r.now - a.clear_since >= r.settings.get('clear_dwell_min', a.site) * 60_000) {
        out.push({ resolve: { id: a.id }, change: { id: r.newId(), alert_id: a.id, change: 'resolved', colour: a.colour } });
        continue;
      }
    }
    // The alert's colour follows the card of its site and kind (past its deadline, a repeated
    // problem goes red); it is raised, never lowered, while the alert is open.
    const colour = atLeastYellow(ladderColour(a.site, a.kind, []));
    const up = colourRank(colour) > colourRank(a.colour) ? colour : a.colour;
    if (up !== a.colour) out.push({ recolour: { id: a.id, colour: up } });
    const overdueNow = !a.overdue_noted && a.deadline_at !== null && a.deadline_at <= r.now;
    if (overdueNow) out.push({ change: { id: r.newId(), alert_id: a.id, change: 'overdue', colour: up } });
    else if (up !== a.colour) out.push({ change: { id: r.newId(), alert_id: a.id, change: 'escalated', colour: up } });
  }
  return out;
}
