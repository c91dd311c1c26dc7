import { markdownToHtml, type MdastPluginInstance } from 'satteri';
import { type Frontmatter, parseFrontmatter } from '../frontmatter.ts';

/** A 1-based place in a file. */
export interface Place {
  line: number;
  column: number;
}

/** An inline `:severity[ID]` badge. */
export interface SeverityRef extends Place {
  id: string;
}

/** Everything the rules need to know about one Markdown file, gathered in one pass. */
export interface RunbookFacts {
  /** Path relative to the project root, forward slashes. */
  file: string;
  frontmatter: Frontmatter;
  /** Inline severity badges in the body. */
  severityRefs: SeverityRef[];
}

/**
 * Walks one file's mdast with Sätteri (the Rust parser behind Astro 7's default
 * processor) and records facts. It renders nothing the site uses: it only looks.
 */
export function collectFacts(source: string, file: string): RunbookFacts {
  const frontmatter = parseFrontmatter(source);
  const severityRefs: SeverityRef[] = [];
  const collector: MdastPluginInstance = {
    options: { position: true },
    textDirective(node, ctx) {
      if (node.name !== 'severity') return;
      const start = node.position?.start;
      severityRefs.push({ id: ctx.textContent(node).trim(), line: start?.line ?? 1, column: start?.column ?? 1 });
    },
  };
  markdownToHtml(source, { mdastPlugins: [{ name: 'runbook-collector', ...collector }], features: { directive: true, frontmatter: true } });
  return { file, frontmatter, severityRefs };
}
