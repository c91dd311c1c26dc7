import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { docsSchema } from '@astrojs/starlight/schema';
import { load } from 'js-yaml';
import { z } from 'astro/zod';
import type { RunbookFacts } from './facts.ts';
import { positionOf, positionOfKey, valueAt } from './frontmatter.ts';
import { readable } from './page.ts';
import { readRepoFile, RepoPathError } from './paths.ts';
import type { Finding } from './rule.ts';
import { checkSchema } from './schema.ts';
import { schemaFindings } from './schema-findings.ts';

/*
 * The Starlight page fields a runbook site accepts, each with the one shape it may take.
 * Starlight renders some of its fields as HTML (`hero.title`, `hero.tagline`,
 * `banner.content`, `hero.image.html`, a raw-SVG `hero.actions[].icon`, `title` under a
 * hero without a title of its own), some as attributes (`sidebar.attrs`,
 * `sidebar.badge.class`, `hero.actions[].attrs`, every `head` entry) and some as links.
 * This table admits text where Starlight escapes it, plain text where it does not, links
 * that are relative or http(s), and nothing else: a field or key that is not in the table
 * (a new Starlight field included) is a finding until someone decides its shape here.
 * Runbook fields of our own (owner, services, …) belong to schema.ts, not to this table.
 */

/** The shape one field may take. */
export type Shape =
  | { type: 'text' }
  | { type: 'plain' }
  | { type: 'number' }
  | { type: 'boolean' }
  | { type: 'date' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'url'; relative: boolean }
  | { type: 'icon' }
  | { type: 'map'; fields: Record<string, Shape> }
  | { type: 'list'; item: Shape }
  | { type: 'either'; options: Shape[] }
  | { type: 'head' };

const TEXT: Shape = { type: 'text' };
/** Text Starlight writes into the page as HTML: only what reads the same as text. */
const PLAIN: Shape = { type: 'plain' };
const NUMBER: Shape = { type: 'number' };
const BOOLEAN: Shape = { type: 'boolean' };
const LINK: Shape = { type: 'url', relative: true };
const map = (fields: Record<string, Shape>): Shape => ({ type: 'map', fields });
const either = (...options: Shape[]): Shape => ({ type: 'either', options });
const oneOf = (...values: string[]): Shape => ({ type: 'enum', values });

/** What a `prev:` / `next:` may be: on or off, a label, or a label and a link. */
const PREV_NEXT = either(BOOLEAN, TEXT, map({ link: LINK, label: TEXT }));

/** Every Starlight page field a runbook page accepts, and its shape. */
export const STARLIGHT_FIELDS: Record<string, Shape> = {
  // Starlight writes it into <title> as HTML (a `</title>` ends the element), and under a hero without a title into its <h1>.
  title: PLAIN,
  description: TEXT,
  editUrl: either(BOOLEAN, { type: 'url', relative: false }),
  head: { type: 'list', item: { type: 'head' } },
  tableOfContents: either(BOOLEAN, map({ minHeadingLevel: NUMBER, maxHeadingLevel: NUMBER })),
  template: oneOf('doc', 'splash'),
  hero: map({
    title: PLAIN,
    tagline: PLAIN,
    // Image files become an <img> Astro builds; `html` (raw HTML) is not in the table.
    image: map({ file: TEXT, dark: TEXT, light: TEXT, alt: TEXT }),
    actions: {
      type: 'list',
      item: map({ text: TEXT, link: LINK, variant: oneOf('primary', 'secondary', 'minimal'), icon: { type: 'icon' } }),
    },
  }),
  lastUpdated: either({ type: 'date' }, BOOLEAN),
  prev: PREV_NEXT,
  next: PREV_NEXT,
  sidebar: map({
    label: TEXT,
    order: NUMBER,
    hidden: BOOLEAN,
    badge: either(TEXT, map({ text: TEXT, variant: oneOf('note', 'danger', 'success', 'caution', 'tip', 'default') })),
  }),
  banner: map({ content: PLAIN }),
  pagefind: BOOLEAN,
  draft: BOOLEAN,
};

/** The tags a `head:` entry may add, and the attributes each may carry. */
export const HEAD_TAGS: Record<string, Record<string, Shape>> = {
  meta: { name: TEXT, property: TEXT, content: TEXT },
  link: { rel: TEXT, href: LINK, hreflang: TEXT, type: TEXT, title: TEXT, sizes: TEXT, media: TEXT },
};
/** `rel` values of a head link: pointers to other documents, never a stylesheet or a script to fetch. */
export const HEAD_RELS = ['alternate', 'author', 'canonical', 'help', 'icon', 'license', 'me'];

/** Why a field Starlight knows is not in the table: what Starlight would do with it. */
const REFUSED: Record<string, string> = {
  'sidebar.attrs':
    "Starlight writes it onto the page's sidebar link as HTML attributes, on every page that shows the link",
  'sidebar.badge.class': "Starlight writes it into the badge's class attribute",
  'hero.actions.*.attrs': 'Starlight writes it onto the action link as HTML attributes',
  'hero.image.html': 'Starlight renders it as raw HTML',
  'head.*.content': "Starlight writes it into the page's <head> as raw HTML",
};

// Read once: building the schema costs more than the check of one page.
let starlightKeys: string[] | undefined;
/** The top-level fields of Starlight's page schema, read off the schema itself. */
export const starlightFieldNames = (): string[] =>
  (starlightKeys ??= Object.keys(
    (docsSchema()({ image: () => z.string() as never }) as unknown as { shape: Record<string, unknown> }).shape,
  ));

/** A breach of the table at one place. */
interface Problem {
  path: (string | number)[];
  /** Reported at the key (a field that is not in the table) rather than at its value. */
  atKey?: boolean;
  message: string;
  hint: string;
}

const dotted = (path: readonly (string | number)[]) => path.join('.');
/** The path with list indexes as `*`, as REFUSED names them. */
const pattern = (path: readonly (string | number)[]) => path.map((k) => (typeof k === 'number' ? '*' : k)).join('.');

/** How a shape reads in a hint. */
export function describeShape(shape: Shape, deep = true): string {
  switch (shape.type) {
    case 'text':
      return 'text';
    case 'plain':
      return 'plain text (no `<` and no character reference such as `&amp;`)';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'a date';
    case 'enum':
      return `one of ${shape.values.join(', ')}`;
    case 'url':
      return shape.relative ? 'a relative link or an http(s) URL' : 'an http(s) URL';
    case 'icon':
      return "the name of one of Starlight's built-in icons (e.g. right-arrow)";
    case 'map':
      return deep
        ? `a mapping of ${Object.entries(shape.fields)
            .map(([k, s]) => `${k} (${describeShape(s, false)})`)
            .join(', ')}`
        : `a mapping of ${Object.keys(shape.fields).join(', ')}`;
    case 'list':
      return `a list of ${describeShape(shape.item, false)}`;
    case 'either':
      return shape.options.map((o) => describeShape(o, false)).join(' or ');
    case 'head':
      return 'meta or link tags';
  }
}

/** The YAML kind of a value, as shapes are chosen by it. */
function kind(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (v instanceof Date) return 'date';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : typeof v;
}

const KIND_OF: Record<Shape['type'], string> = {
  text: 'string',
  plain: 'string',
  enum: 'string',
  url: 'string',
  icon: 'string',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  map: 'map',
  list: 'list',
  either: '',
  head: 'map',
};
const NAMED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date',
  map: 'a mapping',
  list: 'a list',
  empty: 'empty',
};

/**
 * Markup or a character reference: what would not read as itself once rendered as HTML.
 * A bare `&` (R&D) reads as itself; `<` may open a tag, and `&amp;` would show as `&`.
 */
const NOT_PLAIN = /<|&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/** Why `value` is not a link a runbook page may carry: it must parse, as a browser parses it, to http(s). */
export function linkProblem(value: string, relative: boolean): string | undefined {
  let url: URL;
  try {
    // The WHATWG parser is the browser's: it strips the tabs, newlines and spaces that hide a scheme.
    url = relative ? new URL(value, 'https://relative.invalid/') : new URL(value);
  } catch {
    return relative ? 'it is not a URL a browser can follow' : 'it is not an absolute URL';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `it uses ${url.protocol}`;
}

/** Whether Starlight renders `icon` as one of its own icons (not as raw SVG): Starlight's own schema decides. */
function builtInIcon(icon: string): boolean {
  const hero = (checkSchema() as unknown as { shape: Record<string, z.ZodType> }).shape.hero;
  const parsed = hero.safeParse({ actions: [{ text: 'x', link: '/', icon }] });
  return parsed.success && (parsed.data as { actions: { icon?: { type: string } }[] }).actions[0].icon?.type === 'icon';
}

/** The breaches of `shape` by `value` at `path`. */
function check(value: unknown, shape: Shape, path: (string | number)[]): Problem[] {
  const at = dotted(path);
  if (shape.type === 'either') {
    const option = shape.options.find((o) => KIND_OF[o.type] === kind(value));
    return option
      ? check(value, option, path)
      : [
          {
            path,
            message: `\`${at}\` must be ${describeShape(shape)}, not ${NAMED[kind(value)]}`,
            hint: `Write \`${at}\` as ${describeShape(shape)}.`,
          },
        ];
  }
  if (KIND_OF[shape.type] !== kind(value))
    return [
      {
        path,
        message: `\`${at}\` must be ${describeShape(shape, false)}, not ${NAMED[kind(value)]}`,
        hint: `Write \`${at}\` as ${describeShape(shape)}.`,
      },
    ];
  switch (shape.type) {
    case 'plain':
      return NOT_PLAIN.test(value as string)
        ? [
            {
              path,
              message: `\`${at}\` is rendered as HTML, and this value holds markup or a character reference (${JSON.stringify((value as string).slice(0, 60))})`,
              hint: `Write \`${at}\` as ${describeShape(shape)}; put formatting in the page body.`,
            },
          ]
        : [];
    case 'enum':
      return shape.values.includes(value as string)
        ? []
        : [
            {
              path,
              message: `\`${at}\` must be ${describeShape(shape)}, not ${JSON.stringify(value)}`,
              hint: `Write \`${at}\` as ${describeShape(shape)}.`,
            },
          ];
    case 'url': {
      const why = linkProblem(value as string, shape.relative);
      return why
        ? [
            {
              path,
              message: `\`${at}\` is a link, and ${JSON.stringify((value as string).slice(0, 60))} is not ${describeShape(shape)}: ${why}`,
              hint: `Link to ${describeShape(shape)}.`,
            },
          ]
        : [];
    }
    case 'icon':
      return builtInIcon(value as string)
        ? []
        : [
            {
              path,
              message: `\`${at}\` is not one of Starlight's icon names${/^\s*<svg/i.test(value as string) ? ': it is raw SVG, which Starlight renders as HTML' : ''}`,
              hint: `Use ${describeShape(shape)}.`,
            },
          ];
    case 'map': {
      const fields = shape.fields;
      return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
        key in fields ? check(v, fields[key], [...path, key]) : [refused([...path, key], shape)],
      );
    }
    case 'list':
      return (value as unknown[]).flatMap((item, i) => check(item, shape.item, [...path, i]));
    case 'head':
      return headProblems(value as Record<string, unknown>, path);
    default:
      return [];
  }
}

/** A key that is not in the table. */
function refused(path: (string | number)[], parent: Shape | undefined): Problem {
  const why = REFUSED[pattern(path)];
  const where = path.length > 1 ? `\`${dotted(path.slice(0, -1))}\` takes` : 'A runbook page takes';
  return {
    path,
    atKey: true,
    message: `\`${dotted(path)}\` is not a Starlight field a runbook page accepts${why ? `: ${why}` : ''}`,
    hint: parent
      ? `Remove it; ${where} ${describeShape(parent).replace(/^a mapping of /, '')}.`
      : 'Remove it: this Starlight field has no allowed shape yet (src/plugins/runbook/starlight-fields.ts).',
  };
}

/** A `head:` entry: a meta or link tag, allow-listed attributes, no content. */
function headProblems(entry: Record<string, unknown>, path: (string | number)[]): Problem[] {
  const tags = Object.keys(HEAD_TAGS).join(' and ');
  const tag = entry.tag;
  if (typeof tag !== 'string' || !(tag in HEAD_TAGS)) {
    return [
      {
        path: [...path, 'tag'],
        message: `\`${dotted([...path, 'tag'])}\` adds ${typeof tag === 'string' ? `a <${tag}>` : 'a tag'} to the page's <head>: a runbook page adds only ${tags} tags`,
        hint: 'Keep meta and link tags (with no content); anything else in the head can run script or change the whole page.',
      },
    ];
  }
  const allowed = HEAD_TAGS[tag];
  const entryShape = map({ tag: TEXT, attrs: map(allowed) });
  const out: Problem[] = [];
  for (const [key, v] of Object.entries(entry)) {
    if (key === 'tag') continue;
    if (key !== 'attrs') {
      out.push(refused([...path, key], entryShape));
      continue;
    }
    if (kind(v) !== 'map') {
      out.push({
        path: [...path, key],
        message: `\`${dotted([...path, key])}\` must be a mapping of attributes, not ${NAMED[kind(v)]}`,
        hint: `A <${tag}> takes ${Object.keys(allowed).join(', ')}.`,
      });
      continue;
    }
    for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
      const at = [...path, key, name];
      if (!(name in allowed)) {
        out.push({
          path: at,
          atKey: true,
          message: `\`${name}\` is not an attribute a runbook page may set on <${tag}>`,
          hint: `A <${tag}> in the head takes ${Object.keys(allowed).join(', ')}.`,
        });
        continue;
      }
      out.push(...check(value, allowed[name], at));
      if (tag === 'link' && name === 'rel' && typeof value === 'string') {
        const bad = value.split(/[\t\n\f\r ]+/).filter((r) => r && !HEAD_RELS.includes(r.toLowerCase()));
        if (bad.length > 0)
          out.push({
            path: at,
            message: `A head link with rel="${bad[0]}" makes the browser fetch or apply it`,
            hint: `A head link points to another document: rel is one of ${HEAD_RELS.join(', ')}.`,
          });
      }
    }
  }
  return out;
}

/**
 * `title` is plain text: Starlight writes it into the page's <title> as HTML, and, when a
 * hero has no title of its own, into the hero's <h1> as HTML too.
 */
function titleProblems(data: Record<string, unknown>): Problem[] {
  const title = data.title;
  if (typeof title !== 'string' || !NOT_PLAIN.test(title)) return [];
  const hero = kind(data.hero) === 'map' && (data.hero as Record<string, unknown>).title === undefined;
  const shown = JSON.stringify(title.slice(0, 60));
  return [
    {
      path: ['title'],
      message: hero
        ? `\`title\` is rendered as HTML here: with \`hero:\` and no \`hero.title\`, Starlight writes the page title into the hero's heading as HTML, and this one holds markup or a character reference (${shown})`
        : `\`title\` is written into the page's <title> as HTML, and this one holds markup or a character reference (${shown})`,
      hint: `Write \`title\` as ${describeShape(PLAIN)}${hero ? ', or give the hero a plain-text `hero.title`' : ', e.g. "under 5 s" for "< 5 s"'}.`,
    },
  ];
}

/**
 * Every place where a page's Starlight fields leave the table, each at its frontmatter
 * position with the shape it may take. A breach the page schema reports already (a
 * wrong type at the same place) is left to it.
 */
export function starlightFieldFindings(f: RunbookFacts): Finding[] {
  if (!readable(f)) return [];
  const data = f.frontmatter.data;
  const problems: Problem[] = [...titleProblems(data)];
  for (const key of Object.keys(data)) {
    if (key === 'title' && typeof data.title === 'string') continue; // titleProblems, above
    if (key in STARLIGHT_FIELDS) problems.push(...check(data[key], STARLIGHT_FIELDS[key], [key]));
    // A field of Starlight's that the table does not know yet (a newer Starlight): refused until it has a shape.
    else if (starlightFieldNames().includes(key)) problems.push(refused([key], undefined));
  }
  const schema = new Set(schemaFindings(f).map((s) => `${s.line}:${s.column}`));
  return problems.flatMap((p) => {
    const place = p.atKey
      ? positionOfKey(f.frontmatter, String(p.path.at(-1)), p.path.slice(0, -1))
      : positionOf(f.frontmatter, p.path);
    if (!p.atKey && schema.has(`${place.line}:${place.column}`) && valueAt(data, p.path) !== undefined) return [];
    return [{ file: f.file, ...place, message: p.message, hint: p.hint }];
  });
}

/** Starlight's UI strings (its `i18n` collection), relative to the root; its loader reads every json, yml and yaml file whose name does not start with `_`. */
export const UI_STRINGS_DIR = 'src/content/i18n';
const UI_STRING_FILE = /^[^_].*\.(json|ya?ml)$/;

/** The UI string files of the site (and every link among them), from the root, without following a link: the door judges each. */
export function uiStringFiles(root: string, dir = UI_STRINGS_DIR): string[] {
  let entries;
  try {
    entries = readdirSync(posix.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) return uiStringFiles(root, path);
    return e.isSymbolicLink() || UI_STRING_FILE.test(e.name) ? [path] : [];
  });
}

/**
 * Starlight's UI strings are plain text: it writes some of them into pages as HTML (`404.text`
 * becomes the 404 page's hero tagline, the theme names become <option> markup on every page),
 * and no UI string needs markup. Each string that is not plain is a finding at its line.
 */
export function uiStringFindings(root: string): Finding[] {
  return uiStringFiles(root).flatMap((file) => {
    const bytes = readRepoFile(root, file);
    // A file the door refuses is the door's finding (path-outside-repo, file-unreadable), not this one's.
    if (bytes instanceof RepoPathError) return [];
    const text = bytes.toString('utf8');
    let data: unknown;
    try {
      data = file.endsWith('.json') ? JSON.parse(text) : load(text);
    } catch {
      return []; // Astro's own loader stops the build on a file it cannot parse.
    }
    const out: Finding[] = [];
    const walk = (value: unknown, keys: string[]) => {
      if (typeof value === 'string') {
        if (!NOT_PLAIN.test(value)) return;
        const last = keys.at(-1) ?? '';
        const at = Math.max(text.indexOf(JSON.stringify(last)), 0) || Math.max(text.indexOf(last), 0);
        out.push({
          file,
          line: text.slice(0, at).split('\n').length,
          column: at - text.lastIndexOf('\n', at - 1),
          message: `UI string \`${keys.join(' › ')}\` holds markup or a character reference (${JSON.stringify(value.slice(0, 60))}), and Starlight renders some UI strings as HTML`,
          hint: `Write it as ${describeShape(PLAIN)}.`,
        });
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, [...keys, k]);
      }
    };
    walk(data, []);
    return out;
  });
}
