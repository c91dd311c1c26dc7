import { forTerminal } from '../../encode/terminal.ts';
import { EXAMPLE_PAGE } from '../../runbook/examples.ts';
import type { ExampleFile, RuleExample } from '../../runbook/rule.ts';

/** One file of a rule example as its docs page shows it: a code block titled with its path. */
export interface ShownFile {
  title: string;
  code: string;
  lang: string;
}

const LANGS: Record<string, string> = {
  md: 'md',
  mdx: 'mdx',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  html: 'html',
  sh: 'sh',
};
const langOf = (path: string) => LANGS[path.split('.').at(-1) ?? ''] ?? 'txt';

/** One file, with what is special about it beyond its text (its mode, its bytes, a link) in its title; control characters by name (`⟨CR⟩`), as a terminal shows them. */
function shown(path: string, file: ExampleFile): ShownFile {
  if (typeof file === 'string')
    return { title: file === '' ? `${path} (an empty file)` : path, code: forTerminal(file), lang: langOf(path) };
  if ('symlink' in file)
    return {
      title: `${path}: a symbolic link`,
      code: `${path} -> ${file.symlink}${file.note ? `  (${file.note})` : ''}`,
      lang: 'txt',
    };
  const notes = [
    file.mode === undefined
      ? ''
      : `mode ${file.mode.toString(8)}${file.mode & 0o111 ? ', executable' : ', not executable'}`,
    file.latin1 && !file.note ? 'saved as Latin-1, not UTF-8' : '',
    file.note ?? '',
  ].filter(Boolean);
  return {
    title: notes.length > 0 ? `${path} (${notes.join('; ')})` : path,
    code: forTerminal(file.text),
    lang: langOf(path),
  };
}

/**
 * The files of `example` in the order a reader needs them: the runbook page first, then
 * the other files it is checked with, then (a `build` row) the page as the build wrote it.
 */
export function exampleFiles(example: RuleExample): ShownFile[] {
  const out: ShownFile[] = [];
  // A change's example: the files before it, those it deletes, then the files after it.
  const before = example.base && exampleFiles(example.base);
  const after: ShownFile[] = [];
  if (example.page !== undefined) after.push(shown(example.pageFile ?? EXAMPLE_PAGE, example.page));
  for (const [path, file] of Object.entries(example.files ?? {})) after.push(shown(path, file));
  if (before) {
    const paths = (files: readonly ShownFile[]) => files.map((f) => f.title.split(' ')[0]);
    const kept = new Set(paths(after));
    out.push(...before.map((f) => ({ ...f, title: `${f.title} (before the change)` })));
    for (const path of paths(before))
      if (!kept.has(path))
        out.push({ title: `${path}: not in the project after the change (deleted or renamed)`, code: '', lang: 'txt' });
    out.push(...after.map((f) => ({ ...f, title: `${f.title} (after the change)` })));
  } else out.push(...after);
  if (example.built !== undefined) {
    const url = (example.pageFile ?? EXAMPLE_PAGE).replace(/^src\/content\/runbooks\//, '').replace(/\.mdx?$/, '');
    out.push({
      title: `dist/${url}/index.html, the page's content as the build wrote it`,
      code: `<div class="sl-markdown-content">${example.built}</div>`,
      lang: 'html',
    });
  }
  return out;
}
