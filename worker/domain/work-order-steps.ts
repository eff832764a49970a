/**
 * The seven-step closed loop (七步闭环) as a pure transition function: given where an order
 * stands and the move asked for, the next step or why not. No I/O; the route applies the result.
 *
 *   reported (巡查上报) → registered (审核立案) → dispatched (任务派遣, with an assignee)
 *   → [arrived: recorded, the step stays dispatched] → handled (任务处置) → checked (反馈核查)
 *   → closed (结案) → evaluated (综合评价)
 *
 * A failed check (`checked` with passed: false) sends the order back to dispatched (回头看): a new
 * dispatch that restarts the 双十 clock, the history kept.
 */
import type { Role } from '../schemas/common.ts';

/** Kinds of work order (the dashboard lists them without loading the API's schemas). */
export const WORK_ORDER_KINDS = ['restock', 'repair', 'report', 'cleaning', 'other'] as const;

/** Alert kinds → the work that fixes them. */
export const KIND_OF_ALERT: Record<string, string> = {
  below_reorder: 'restock',
  stock_out: 'restock',
  predicted_stock_out: 'restock',
  expiring: 'restock',
  low_battery: 'repair',
  night_autonomy: 'repair',
  offline: 'repair',
  fault: 'repair',
  solar_underperformance: 'cleaning',
};

export const STEPS = ['reported', 'registered', 'dispatched', 'handled', 'checked', 'closed', 'evaluated'] as const;
export type Step = (typeof STEPS)[number];
/** What a client may ask for: one of the steps, or arrival on site. */
export const MOVES = [...STEPS, 'arrived'] as const;
export type Move = (typeof MOVES)[number];

export interface OrderState {
  step: Step;
  /** Arrival on site recorded since the latest dispatch. */
  arrived: boolean;
  /** The alert the order came from: null when none, else whether it is still open. */
  alertOpen: boolean | null;
}

export interface MoveRequest {
  step: Move;
  note?: string;
  assignee?: string;
  passed?: boolean;
}

/** What applying a legal move does to the order. */
export type Effect =
  | { kind: 'register' }
  | { kind: 'dispatch' }
  | { kind: 'arrive' }
  | { kind: 'handle' }
  | { kind: 'check_passed' }
  /** 回头看: record the failed check, then a new dispatch (same assignee unless one is given). */
  | { kind: 'check_failed' }
  | { kind: 'close' }
  | { kind: 'evaluate' };

export type Refusal =
  | { code: 'invalid_transition' | 'alert_not_resolved'; detail: string }
  | { code: 'validation_failed'; pointer: string; detail: string };

export type Transition = { ok: true; step: Step; effect: Effect } | { ok: false; refusal: Refusal };

const NEXT: Record<Step, Step | null> = {
  reported: 'registered',
  registered: 'dispatched',
  dispatched: 'handled',
  handled: 'checked',
  checked: 'closed',
  closed: 'evaluated',
  evaluated: null,
};

const refuse = (detail: string): Transition => ({ ok: false, refusal: { code: 'invalid_transition', detail } });
const invalidField = (pointer: string, detail: string): Transition => ({
  ok: false,
  refusal: { code: 'validation_failed', pointer, detail },
});

/** The legal next moves from a state (for the UI's buttons and for error messages). */
export function legalMoves(state: Pick<OrderState, 'step' | 'arrived'>): Move[] {
  const next = NEXT[state.step];
  const moves: Move[] = [];
  if (state.step === 'dispatched' && !state.arrived) moves.push('arrived');
  if (next) moves.push(next);
  return moves;
}

export function transition(state: OrderState, req: MoveRequest): Transition {
  const legal = legalMoves(state);
  if (req.assignee !== undefined && !(req.step === 'dispatched' || (req.step === 'checked' && req.passed === false))) {
    return invalidField('/assignee', 'assignee goes with step "dispatched" (or a failed check, to dispatch to someone else)');
  }
  if (req.passed !== undefined && req.step !== 'checked') return invalidField('/passed', 'passed goes with step "checked"');
  if (!legal.includes(req.step)) {
    const why =
      req.step === 'arrived' && state.step === 'dispatched'
        ? 'arrival is already recorded for this dispatch'
        : `an order at "${state.step}" moves only to ${legal.length ? legal.map((m) => `"${m}"`).join(' or ') : 'nothing (the loop is complete)'}`;
    return refuse(`Cannot move to "${req.step}": ${why}`);
  }
  switch (req.step) {
    case 'arrived':
      return { ok: true, step: 'dispatched', effect: { kind: 'arrive' } };
    case 'registered':
      return { ok: true, step: 'registered', effect: { kind: 'register' } };
    case 'dispatched':
      if (!req.assignee) return invalidField('/assignee', 'dispatching needs an assignee: a team id or a person id');
      return { ok: true, step: 'dispatched', effect: { kind: 'dispatch' } };
    case 'handled':
      return { ok: true, step: 'handled', effect: { kind: 'handle' } };
    case 'checked':
      return req.passed === false
        ? { ok: true, step: 'dispatched', effect: { kind: 'check_failed' } }
        : { ok: true, step: 'checked', effect: { kind: 'check_passed' } };
    case 'closed':
      if (state.alertOpen === true && !req.note?.trim()) {
        return {
          ok: false,
          refusal: {
            code: 'alert_not_resolved',
            detail: 'The alert this order came from is still open: resolve it first, or close with a "note" giving the reason',
          },
        };
      }
      return { ok: true, step: 'closed', effect: { kind: 'close' } };
    case 'evaluated':
      return { ok: true, step: 'evaluated', effect: { kind: 'evaluate' } };
    case 'reported':
      return refuse('An order is reported only when it is opened');
  }
}

/**
 * Who may make each move, besides admin. Supervisors (督查) run the loop; staff record their own
 * arrival and handling (the route also checks that the order is theirs).
 */
export const MOVE_ROLES: Record<Move, readonly Role[]> = {
  reported: ['supervisor', 'staff'], // never a legal move (orders are reported when opened): answered 409
  registered: ['supervisor'],
  dispatched: ['supervisor'],
  arrived: ['supervisor', 'staff'],
  handled: ['supervisor', 'staff'],
  checked: ['supervisor'],
  closed: ['supervisor'],
  evaluated: ['supervisor'],
};

/**
 * The moves a recorded restock makes on one of the station's open restock orders, each legal in
 * turn from where the order stands: up to `handled` (registering and dispatching it when no one
 * has yet, and recording arrival on site when the dispatch has none: the restocking person was
 * there), then the passed feedback check and closing (`close`), which the caller makes only when
 * the order's alert is resolved or it has none. An order already handled or checked needs only
 * the closing part.
 */
export function restockMoves(state: Pick<OrderState, 'step' | 'arrived'>): { handle: Move[]; close: Move[] } {
  const handle: Move[] = [];
  const close: Move[] = [];
  let s: OrderState = { ...state, alertOpen: null };
  for (;;) {
    const move: Move | undefined = legalMoves(s).find((m) => m === 'arrived') ?? legalMoves(s)[0];
    if (!move || s.step === 'closed' || s.step === 'evaluated') break;
    const t = transition(s, {
      step: move,
      ...(move === 'dispatched' ? { assignee: 'restock' } : {}),
      ...(move === 'checked' ? { passed: true } : {}),
    });
    if (!t.ok) throw new Error(`restockMoves: ${t.refusal.detail}`); // the walk follows legalMoves: never
    (s.step === 'handled' || s.step === 'checked' ? close : handle).push(move);
    s = { step: t.step, arrived: move === 'arrived' || (s.arrived && move !== 'dispatched'), alertOpen: null };
  }
  return { handle, close };
}
