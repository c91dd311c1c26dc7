import type { Data } from 'mdast';
import type { SeverityLadder } from './ladder.ts';
import { severityBadge, severityTable } from './render.ts';

/** The parts of a directive node both processors give us (remark and Sätteri share mdast shapes). */
export interface DirectiveLike {
  type: string;
  name: string;
}

/**
 * The rendering of the directives we own, as mdast `data` (hName/hProperties/hChildren)
 * that both unified and Sätteri turn into HTML. Returns undefined for directives that
 * are not ours, or carry an unknown severity: those stay unclaimed, and the
 * validation core reports the unknown id.
 */
export function claimDirective(node: DirectiveLike, label: string, ladder: SeverityLadder): Data | undefined {
  if (node.type === 'leafDirective' && node.name === 'severity-table') {
    const table = severityTable(ladder);
    return { hName: table.tagName, hProperties: table.properties, hChildren: table.children };
  }
  if (node.type === 'textDirective' && node.name === 'severity') {
    const level = ladder.byId.get(label.trim());
    if (!level) return undefined;
    const badge = severityBadge(level);
    return { hName: badge.tagName, hProperties: badge.properties, hChildren: badge.children };
  }
  return undefined;
}
