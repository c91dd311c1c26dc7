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
  if (example.page !== undefined) out.push(shown(example.pageFile ?? EXAMPLE_PAGE, example.page));
  for (const [path, file] of Object.entries(example.files ?? {})) out.push(shown(path, file));
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
