/**
 * A runbook's rendered HTML, kept beside Astro's data store instead of in it.
 *
 * Astro bundles the whole data store into the build's server code as one string literal,
 * rendered HTML included: 41 MB at 1,000 generated runbooks, 411 MB at 10,000. Compiling that
 * module cost more CPU than any step of ours (BENCHMARKS.md), and bundling it is what ran the
 * 10,000-runbook build out of memory. So the docs loader (./gated-loader.ts) writes each page's
 * HTML to a file named by its hash in Astro's cache folder and keeps only the name in the
 * entry; Starlight's page route reads it back just before it renders the page (a Vite `load`
 * hook changes the one line that renders the entry). The content layer still keeps a page's
 * rendering while its inputs are unchanged: the files stay until no entry names them.
 *
 * Light on purpose (Node's own modules): the changed route imports it into the server code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder in Astro's cache folder the pages' HTML is kept in. */
export const APART_DIR = 'runbooks-rendered';

/** Starlight's shared page route, which renders every docs entry (resolved when asked: this module runs in the server code too). */
const starlightCommonRoute = () =>
  fileURLToPath(new URL('./routes/common.astro', import.meta.resolve('@astrojs/starlight')));

/** A rendering as the content layer stores it, with the name of its HTML file when kept apart. */
interface Rendered {
  html?: string;
  metadata?: { runbookHtml?: string } & Record<string, unknown>;
}
type WithRendered = { rendered?: Rendered };

const SHARED = Symbol.for('runbooks.rendered-apart');
const shared = globalThis as { [SHARED]?: string };

/**
 * Keeps the renderings the loader stores from now on in `dir` (absolute), for a build or dev
 * server whose page route reads them back ({@link readBackRoute}); undefined keeps them in
 * the store.
 */
export function keepRenderedApart(dir: string | undefined): void {
  shared[SHARED] = dir;
}

/** The folder renderings are kept in for the running build, or undefined when they stay in the store. */
export const apartDir = (): string | undefined => shared[SHARED];

const fileOf = (dir: string, name: string) => join(dir, `${name}.html`);

/**
 * Moves an entry's rendered HTML (a loader's `store.set` argument) to a file in `dir` and
 * leaves its name in the entry's metadata. The file is named by the HTML's hash, so an
 * unchanged rendering is written once; the write is atomic (a temporary name, then renamed).
 */
export function putApart(entry: WithRendered, dir: string): void {
  const rendered = entry.rendered;
  if (!rendered || typeof rendered.html !== 'string' || !rendered.html) return;
  const name = createHash('sha256').update(rendered.html).digest('base64url');
  const file = fileOf(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, rendered.html);
    renameSync(temporary, file);
  }
  entry.rendered = { ...rendered, html: '', metadata: { ...rendered.metadata, runbookHtml: name } };
}

/**
 * Whether a stored entry must be rendered again because its HTML is not where this build
 * reads it: its file is gone, renderings are kept in the store now, or it is still in the
 * store while they are kept apart.
 */
export function apartStale(entry: WithRendered, dir: string | undefined): boolean {
  const name = entry.rendered?.metadata?.runbookHtml;
  if (name) return !dir || !existsSync(fileOf(dir, name));
  return !!dir && !!entry.rendered?.html;
}

/**
 * Deletes the kept HTML files in `dir` that no entry names (`names`); another process's
 * half-written file (a temporary name) is left, as is a folder that cannot be read.
 */
export function sweepApart(dir: string, names: ReadonlySet<string>): void {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  for (const file of files) {
    if (!file.endsWith('.html') || names.has(file.slice(0, -5))) continue;
    rmSync(join(dir, file), { force: true });
  }
}

/** The names of the HTML files `entries` keep apart. */
export function apartNames(entries: Iterable<WithRendered>): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const name = entry.rendered?.metadata?.runbookHtml;
    if (name) names.add(name);
  }
  return names;
}

/**
 * The entry as Astro's `render()` needs it: with its HTML read back from `dir` when it was
 * kept apart; otherwise as it is. Run by Starlight's page route in the server code.
 */
export function withRenderedHtml<T>(entry: T, dir: string): T {
  const rendered = (entry as WithRendered | undefined)?.rendered;
  const name = rendered?.metadata?.runbookHtml;
  if (!rendered || !name) return entry;
  // Only a name putApart gives (a hash in base64url) is read: never a path.
  if (typeof name !== 'string' || !/^[\w-]{43}$/.test(name))
    throw new Error(`Not a rendered page's name: ${JSON.stringify(name)}`);
  let html: string;
  try {
    html = readFileSync(fileOf(dir, name), 'utf8');
  } catch {
    throw new Error(
      `The rendered page ${fileOf(dir, name)} is gone (another build or dev server in this project swept it). Build again, or restart the dev server.`,
    );
  }
  return { ...entry, rendered: { ...rendered, html } };
}

/** The one line of Starlight's route this changes, and what it imports. */
const RENDER = 'const renderResult = await render(route.entry);';
const IMPORT = "import { render } from 'astro:content';";

/**
 * Starlight's page route source reading kept-apart HTML back from `dir`, or undefined when
 * the source is not the one this expects (then renderings stay in the data store).
 */
export function readBackRoute(source: string, dir: string): string | undefined {
  if (source.split(RENDER).length !== 2 || source.split(IMPORT).length !== 2) return undefined;
  const self = fileURLToPath(import.meta.url);
  return source
    .replace(IMPORT, `${IMPORT}\nimport { withRenderedHtml } from ${JSON.stringify(self)};`)
    .replace(RENDER, `const renderResult = await render(withRenderedHtml(route.entry, ${JSON.stringify(dir)}));`);
}

/** A module id or path as one spelling: absolute, forward slashes, without a query. */
const samePath = (id: string) => resolve(id.split('?')[0]).replaceAll('\\', '/');

/**
 * The Vite plugin that gives Starlight's page route the read-back, when its source is as
 * expected: then it also tells the loader to keep renderings apart (in `dir`). For `astro
 * build` and `astro sync` (which share a data store); the dev server keeps them in its own
 * store, which it never bundles. A route that is somehow not changed shows empty pages, and
 * the build's `page-render-failed` check stops on them.
 */
export function renderedApart(dir: string, command: string) {
  const route = starlightCommonRoute();
  const patched =
    command === 'build' || command === 'sync' ? readBackRoute(readFileSync(route, 'utf8'), dir) : undefined;
  keepRenderedApart(patched ? dir : undefined);
  const target = samePath(route);
  return {
    name: 'runbooks:rendered-apart',
    enforce: 'pre' as const,
    load(id: string) {
      return patched && !id.includes('?') && samePath(id) === target ? patched : undefined;
    },
  };
}
