/** Small order statistics for response times. Pure. */

/**
 * The q-quantile by linear interpolation between closest ranks (the "R-7" rule, as spreadsheets'
 * PERCENTILE and numpy's default do), so a figure can be checked by hand. null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** One work order's 双十 clock, in seconds; null where the step has not happened. */
export interface SlaSample {
  dispatch_to_arrival_s: number | null;
  arrival_to_handled_s: number | null;
  /** seconds since dispatch at the moment of measuring, for orders still under way */
  elapsed_s: number;
  /** The order's own targets: its kind's (work_order_sla_targets), else the defaults — the work-order clock's. */
  target_arrival_s: number;
  target_handling_s: number;
}

export interface SlaFigures {
  orders: number;
  /** orders whose outcome is known: both stages done, or a stage already over its target */
  decided: number;
  met: number;
  share_met: number | null;
  arrival_median_s: number | null;
  arrival_p90_s: number | null;
  handling_median_s: number | null;
  handling_p90_s: number | null;
}

/**
 * 双十: an order meets the standard when it arrived within its arrival target of dispatch and was
 * handled within its handling target of arrival (exactly on target counts as met), each order
 * against its own kind's targets. An order still under way counts once it can no longer meet it
 * (a stage is already over its target); until then it is left out, not counted as met.
 */
export function slaFigures(samples: readonly SlaSample[]): SlaFigures {
  let decided = 0;
  let met = 0;
  const arr: number[] = [];
  const hand: number[] = [];
  for (const s of samples) {
    const arrivalS = s.target_arrival_s;
    const handlingS = s.target_handling_s;
    if (s.dispatch_to_arrival_s !== null) arr.push(s.dispatch_to_arrival_s);
    if (s.arrival_to_handled_s !== null) hand.push(s.arrival_to_handled_s);
    const a = s.dispatch_to_arrival_s;
    const h = s.arrival_to_handled_s;
    if (a !== null && h !== null) {
      decided++;
      if (a <= arrivalS && h <= handlingS) met++;
    } else if (
      (a === null && s.elapsed_s > arrivalS) ||
      (a !== null && a > arrivalS) ||
      (a !== null && h === null && s.elapsed_s - a > handlingS)
    ) {
      decided++;
    }
  }
  return {
    orders: samples.length,
    decided,
    met,
    share_met: decided ? met / decided : null,
    arrival_median_s: quantile(arr, 0.5),
    arrival_p90_s: quantile(arr, 0.9),
    handling_median_s: quantile(hand, 0.5),
    handling_p90_s: quantile(hand, 0.9),
  };
}
