import { durationSeconds } from './duration.ts';
import type { Slo, SloAlert } from './schema.ts';

const decimals = (n: number) => (String(n).split('.')[1] ?? '').length;

/**
 * The objective as a ratio, e.g. 99.9 → 0.999. Rounded to the digits the percentage
 * had, because 99.9 / 100 is 0.9990000000000001 in floating point and that noise
 * would end up in every generated file.
 */
export function targetRatio(objective: number): number {
  return Number((objective / 100).toFixed(decimals(objective) + 2));
}

/** The error budget in percent, e.g. 99.9 → 0.1, without floating-point noise. */
export function budgetPercent(objective: number): number {
  return Number((100 - objective).toFixed(decimals(objective)));
}

/** How long a full outage may last before the window's budget is gone, in seconds. */
export function budgetSeconds(slo: Pick<Slo, 'objective' | 'window'>): number {
  return ((durationSeconds(slo.window) ?? 0) * budgetPercent(slo.objective)) / 100;
}

/**
 * What a burn-rate alert means for the budget: the share of it spent by the time the
 * long window fires (burn rate × long / window), and how long the whole budget lasts
 * at that rate (window / burn rate).
 */
export function alertBudget(
  slo: Pick<Slo, 'window'>,
  alert: SloAlert,
): { spentPercent: number; exhaustedInSeconds: number } {
  const window = durationSeconds(slo.window) ?? 0;
  const long = durationSeconds(alert.long) ?? 0;
  return {
    spentPercent: window ? Number(((alert.burn_rate * long * 100) / window).toFixed(1)) : 0,
    exhaustedInSeconds: window / alert.burn_rate,
  };
}

/** The objective in words, e.g. "99% within 300ms over 28d". */
export function objectiveName(slo: Pick<Slo, 'objective' | 'window' | 'indicator'>): string {
  const within = slo.indicator.threshold ? ` within ${slo.indicator.threshold}` : '';
  return `${slo.objective}%${within} over ${slo.window}`;
}
