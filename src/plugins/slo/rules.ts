import type { Rule } from '../check/rules/types.ts';

/** Rules about SLO files (filled in by the SLO work). */
export const sloRules: Rule[] = [];
