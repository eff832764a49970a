/**
 * The "双十" clock of one work order (Jinshui's response standard): on site within a target after
 * the instruction (dispatch → arrival), handled within a second target after arrival. Measured on
 * the latest dispatch: a failed check dispatches again and the clock restarts (the earlier
 * dispatches stay in the order's history). Pure: "now" is a parameter.
 */

export interface SlaTargets {
  dispatch_to_arrival_s: number;
  arrival_to_handled_s: number;
}

/** The standard's own figures: 10 minutes and 10 more. */
export const DEFAULT_TARGETS: SlaTargets = { dispatch_to_arrival_s: 600, arrival_to_handled_s: 600 };

export interface ClockTimes {
  created_at: number;
  /** Latest dispatch (ms), or null before the first. */
  dispatched_at: number | null;
  arrived_at: number | null;
  handled_at: number | null;
  closed_at: number | null;
}

export interface Sla {
  target_dispatch_to_arrival_s: number;
  target_arrival_to_handled_s: number;
  dispatch_to_arrival_s: number | null;
  arrival_to_handled_s: number | null;
  /** Opened → closed. */
  to_close_s: number | null;
  /**
   * true: arrived and handled within both targets; false: a target is missed (already, even while
   * the clock is still running, or handled with no arrival recorded); null: not dispatched yet,
   * or running and still within target.
   */
  met: boolean | null;
  /** The clock is running (dispatched, not handled) and past the current stage's deadline. */
  overdue: boolean;
  /** Deadline of the stage the clock is in (ISO), null when it is not running. */
  due_at: string | null;
}

const seconds = (from: number, to: number) => Math.round((to - from) / 1000);

export function orderSla(t: ClockTimes, targets: SlaTargets, now: number): Sla {
  const base = {
    target_dispatch_to_arrival_s: targets.dispatch_to_arrival_s,
    target_arrival_to_handled_s: targets.arrival_to_handled_s,
    to_close_s: t.closed_at !== null ? seconds(t.created_at, t.closed_at) : null,
  };
  if (t.dispatched_at === null)
    return { ...base, dispatch_to_arrival_s: null, arrival_to_handled_s: null, met: null, overdue: false, due_at: null };
  const d2a = t.arrived_at !== null ? seconds(t.dispatched_at, t.arrived_at) : null;
  const a2h = t.arrived_at !== null && t.handled_at !== null ? seconds(t.arrived_at, t.handled_at) : null;
  const arrivalMissed =
    d2a !== null
      ? d2a > targets.dispatch_to_arrival_s
      : t.handled_at !== null || seconds(t.dispatched_at, now) > targets.dispatch_to_arrival_s;
  const handlingMissed =
    t.arrived_at === null
      ? false
      : a2h !== null
        ? a2h > targets.arrival_to_handled_s
        : seconds(t.arrived_at, now) > targets.arrival_to_handled_s;
  const running = t.handled_at === null;
  const due = !running
    ? null
    : t.arrived_at === null
      ? t.dispatched_at + targets.dispatch_to_arrival_s * 1000
      : t.arrived_at + targets.arrival_to_handled_s * 1000;
  const met = arrivalMissed || handlingMissed ? false : running ? null : true;
  return {
    ...base,
    dispatch_to_arrival_s: d2a,
    arrival_to_handled_s: a2h,
    met,
    overdue: due !== null && now > due,
    due_at: due !== null ? new Date(due).toISOString() : null,
  };
}
