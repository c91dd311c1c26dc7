import { readFileSync } from 'node:fs';
import type { Element, ElementContent } from 'hast';
import type { Code, Paragraph } from 'mdast';
// hName/hProperties/hChildren on mdast `data`: the fields both processors turn into HTML.
import type {} from 'mdast-util-to-hast';
import { entryUrl } from '../runbook/facts.ts';
import { parseMeta } from '../runbook/meta.ts';
import { commandLines, dbVariable, fillSql, SAFETY, usedNames } from './snippet.ts';
import { isRunBlock, outputFor, parseTimeout, runMeta } from '../runbook/run-meta.ts';
import { ownSlugs } from '../shortlinks/entries.ts';
import { parseFrontmatter } from '../runbook/frontmatter.ts';
import { formatSeconds } from '../runbook/dates.ts';
import { STEP_TITLE_WEIGHT, UNINDEXED } from '../quickjump/pagefind.ts';

const h = (tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const text = (value: string): ElementContent => ({ type: 'text', value });

/** Labels for the safety classes: the text carries the meaning, colour only helps. */
export const SAFETY_LABELS: Record<string, string> = {
  'read-only': 'Read-only',
  mutating: 'Changes things',
  destructive: 'Destructive',
};

/** How the CLI names a page: its first shortlink, or its path. */
export function cliName(path: string, contentDir: string): string {
  const first = ownSlugs(parseFrontmatter(readFileSync(path, 'utf8')).data)[0];
  return first ? first.slug : entryUrl(path.slice(contentDir.length).replace(/\\/g, '/')).replace(/^\/|\/$/g, '');
}

/** An mdast node that renders as `el`: with its own mdast children, or with the element's. */
const paragraph = (el: Element, children: Paragraph['children'] = []): Paragraph => ({
  type: 'paragraph',
  // mdast-util-to-hast reads `hChildren` whenever the key exists, even when undefined.
  data: children.length
    ? { hName: el.tagName, hProperties: el.properties }
    : { hName: el.tagName, hProperties: el.properties, hChildren: el.children },
  children,
});

/**
 * A `run` block as the page shows it: an anchor (its id), its title, the safety class
 * as a labelled badge, the code itself (Expressive Code still renders it), and the
 * exact terminal command. The variables form fills in `data-code` copies on the page;
 * without JavaScript the snippet reads as written. Returns undefined for other blocks.
 */
export function wrapRunBlock(code: Code, page: string): Paragraph | undefined {
  const parsed = parseMeta(code.meta);
  if (!isRunBlock(parsed) || code.data?.hProperties?.['data-rb-wrapped']) return undefined;
  const meta = runMeta(parsed);
  const id = meta.id ?? '';
  const safety = meta.safety ?? '';
  const known = (SAFETY as readonly string[]).includes(safety);
  const title = meta.title;
  const source = { lang: code.lang ?? '', text: code.value, db: meta.db };
  const vars = usedNames(source);
  const db = dbVariable(source);
  const seconds = parseTimeout(meta.timeout);
  const command = `npx runbook run ${page}${id ? `#${id}` : ''}`;
  const needs = meta.needs;
  // The word `runbook run` asks for before a destructive block: its confirm=, else the page's name.
  const confirm = safety === 'destructive' ? meta.confirm || page : undefined;
  const head = h('div', { className: ['rb-snippet__head'] }, [
    ...(id
      ? [
          h('a', { className: ['rb-snippet__anchor'], href: `#${id}`, ariaLabel: `Link to step ${id}`, ...UNINDEXED }, [
            text('#'),
          ]),
        ]
      : []),
    // A step's title is what a responder remembers of it: weighted in full text like a heading.
    h('span', { className: ['rb-snippet__title'], dataPagefindWeight: STEP_TITLE_WEIGHT }, [text(title ?? id)]),
    h('span', { className: ['rb-safety', `rb-safety--${known ? safety : 'unknown'}`], ...UNINDEXED }, [
      text(SAFETY_LABELS[safety] ?? 'Unclassified'),
    ]),
  ]);
  // Everything `runbook run` enforces, said on the page too: copying from the browser skips the CLI's guards.
  const fact = (label: string, value: ElementContent[]) =>
    h('li', {}, [h('span', { className: ['rb-snippet__fact-label'] }, [text(label)]), ...value]);
  const facts = [
    ...(needs.length
      ? [
          fact(
            'Run after ',
            needs.flatMap((n, i) => [...(i ? [text(', ')] : []), h('a', { href: `#${n}` }, [text(`#${n}`)])]),
          ),
        ]
      : []),
    ...(db ? [fact('Database ', [h('code', {}, [text(`$${db}`)])])] : []),
    // Each value links to its field in the variables form (which opens on the way).
    ...(vars.filter((v) => v !== db).length
      ? [
          fact(
            'Values ',
            vars
              .filter((v) => v !== db)
              .flatMap((v, i) => [
                ...(i ? [text(' ')] : []),
                h('a', { href: `#var-${v}`, className: ['rb-snippet__var'] }, [h('code', {}, [text(`$${v}`)])]),
              ]),
          ),
        ]
      : []),
    ...(seconds !== undefined ? [fact('Stops after ', [text(formatSeconds(seconds))])] : []),
    ...(confirm ? [fact('Confirm word ', [h('code', { className: ['rb-snippet__confirm'] }, [text(confirm)])])] : []),
  ];
  const factList = facts.length ? [h('ul', { className: ['rb-snippet__facts'], ...UNINDEXED }, facts)] : [];
  // The guarded path, as easy to copy as the raw command. Each token is one unbreakable piece, so
  // a phone wraps the command only between tokens (never inside `db-down#api-health`); the
  // code's text, what the button copies, is still exactly the command.
  const cli = h('div', { className: ['rb-snippet__cli'], ...UNINDEXED }, [
    h('span', { className: ['rb-snippet__cli-label'] }, [text('In a terminal:')]),
    text(' '),
    h(
      'code',
      {},
      command
        .split(' ')
        .flatMap((token, i) => [...(i ? [text(' ')] : []), h('span', { className: ['rb-token'] }, [text(token)])]),
    ),
    text(' '),
    copyButton('Copy', 'Copy the terminal command'),
  ]);
  // An SQL block always has a command to paste (psql on its database); a shell block only once a value is filled in.
  const sqlCommand = db ? fillSql(code.value, { db, safety, timeout: seconds }, {}) : undefined;
  const filled = h('div', { className: ['rb-snippet__filled'], hidden: !sqlCommand, ...UNINDEXED }, [
    h('span', { className: ['rb-snippet__filled-label'] }, [
      text(
        db ? `In a shell, with psql${safety === 'read-only' ? ' (read-only transaction)' : ''}:` : 'With your values:',
      ),
    ]),
    // A bare <pre> (no <code>), so Expressive Code leaves this live preview alone.
    h('pre', { className: ['rb-snippet__filled-code'] }, sqlCommand ? codeLines(sqlCommand) : []),
    copyButton('Copy command'),
  ]);
  // The title is in our header; Expressive Code would repeat it as a frame title.
  const innerMeta = (code.meta ?? '').replace(/(^|\s)title=("(?:[^"\\]|\\.)*"|'[^']*'|\S+)/, '').trim();
  // Our header already says what this is; Expressive Code's terminal title bar would only push the command down.
  const innerFrame = /(^|\s)frame=/.test(innerMeta) ? innerMeta : `${innerMeta} frame="none"`.trim();
  const inner: Code = {
    ...code,
    meta: innerFrame,
    data: { ...code.data, hProperties: { ...code.data?.hProperties, 'data-rb-wrapped': 'true' } },
  };
  const wrapper = h('div', {
    className: ['rb-snippet', `rb-snippet--${known ? safety : 'unknown'}`],
    id: id || undefined,
    dataSafety: safety,
    dataVars: vars.join(' '),
    dataCode: code.value,
    ...(db ? { dataLang: 'sql', dataDb: db, dataTimeout: seconds } : {}),
    ...(confirm ? { dataConfirm: confirm } : {}),
  });
  return paragraph(wrapper, [
    paragraph(head) as never,
    ...factList.map((f) => paragraph(f) as never),
    inner as never,
    paragraph(cli) as never,
    paragraph(filled) as never,
  ]);
}

/**
 * A copy button of a run block and, beside it, the live region that announces "Copied" (the
 * page script, client/snippets.ts, fills it), as Expressive Code's own copy buttons announce.
 */
function copyButton(label: string, name?: string): Element {
  return h('span', { className: ['rb-snippet__copy-box'] }, [
    h('button', { type: 'button', className: ['rb-snippet__copy'], ...(name ? { ariaLabel: name } : {}) }, [
      text(label),
    ]),
    h('span', { className: ['sr-only'], ariaLive: 'polite' }),
  ]);
}

/** A command as one element per line (snippet.ts commandLines). */
export const codeLines = (command: string): ElementContent[] =>
  commandLines(command).map((line) => h('span', { className: ['rb-line'] }, [text(line)]));

/** An ```` ```output for=<id> ```` block framed as what it is: the expected output of a step. */
export function frameOutputBlock(code: Code): Code | undefined {
  if (code.lang !== 'output' || /(^|\s)title=/.test(code.meta ?? '')) return undefined;
  const target = outputFor(parseMeta(code.meta));
  return { ...code, meta: `${code.meta ?? ''} title="Expected output${target ? ` of ${target}` : ''}"`.trim() };
}
