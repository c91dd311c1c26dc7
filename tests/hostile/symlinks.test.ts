/**
 * Symbolic links, special files and look-alike names, as a hostile folder or pull request
 * brings them: a seeded generator of real trees in temp folders (links to files and
 * folders outside and inside, loops, links to nothing, chains of links, a linked folder in
 * the middle of a path, FIFOs, NFC/NFD/case twins), and three properties over hundreds of
 * them. `runbook import` never writes a byte from outside its source folder, never writes
 * through a link, and reports every link and special file; `runbook check` never reads a
 * file outside the repository (a secret planted there, with a marker of its own, appears
 * in no finding) and reports every way out; every URL collision is a finding that names
 * the other file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { slug as githubSlug } from 'github-slugger';
import { afterAll, describe, expect, it } from 'vitest';
import { importTree } from '../../scripts/commands/import.ts';
import { checkProject } from '../../src/plugins/check/index.ts';
import { ConfigError } from '../../src/plugins/runbook/config.ts';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { ROOT } from '../build/helpers.ts';
import { cli } from '../fixtures/run/project.ts';

const temps: string[] = [];
afterAll(() => {
  removeProjects();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** A deterministic generator (a linear congruential one, as the other hostile tests use). */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
  };
}

const mkfifo = (path: string) => {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('mkfifo', [path]);
};
const write = (path: string, content: string | Buffer) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
};
const link = (target: string, path: string) => {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
};

/** Every entry below `dir`, found with lstat only: regular files with their bytes, and the rest by kind. */
function snapshot(dir: string): { files: Map<string, Buffer>; others: string[] } {
  const files = new Map<string, Buffer>();
  const others: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(relative(dir, full), readFileSync(full));
      else others.push(relative(dir, full));
    }
  };
  if (existsSync(dir)) walk(dir);
  return { files, others: others.sort() };
}

/** Names for pages and files: plain, NFC, NFD and case twins. */
const NAMES = ['notes', 'db-down', 'DB-Down', 'caf\u00e9', 'cafe\u0301', 'Caf\u00e9', 'a b', 'a-b', 'index', 'README'];

/**
 * One hostile source tree under `base/src`, with its secrets under `base/outside`: each
 * entry is a page, an image, or one of the hostile kinds; returns what a report must name.
 */
function hostileSource(
  base: string,
  seed: number,
  marker: string,
): { source: string; links: string[]; specials: string[] } {
  const r = random(seed);
  const source = join(base, 'src');
  const outside = join(base, 'outside');
  write(join(outside, 'credentials'), `[default]\naws_secret_access_key = ${marker}\n`);
  write(join(outside, 'secret.md'), `# Secret\n\n${marker}\n`);
  write(join(outside, 'dir/page.md'), `# Outside page\n\n${marker}\n![x](shot.png)\n`);
  write(join(outside, 'dir/shot.png'), `PNG ${marker}`);
  mkdirSync(source, { recursive: true });
  const links: string[] = [];
  const specials: string[] = [];
  const folders = ['', 'a/', 'a/b/', 'ops/'];
  const count = 3 + r.int(8);
  for (let i = 0; i < count; i++) {
    const folder = r.pick(folders);
    const name = `${r.pick(NAMES)}${i % 3 === 0 ? '' : `-${i}`}`;
    const path = join(source, folder, `${name}.md`);
    if (existsSync(path) || lstatExists(path)) continue;
    const kind = r.int(12);
    const rel = (target: string) => relative(dirname(path), target);
    switch (kind) {
      case 0:
        link(join(outside, 'credentials'), path);
        links.push(folder + `${name}.md`);
        break;
      case 1:
        link(rel(join(outside, 'secret.md')), path);
        links.push(folder + `${name}.md`);
        break;
      case 2: {
        const dir = join(source, folder, `${name}-dir`);
        if (!lstatExists(dir)) {
          link(join(outside, 'dir'), dir);
          links.push(`${folder}${name}-dir`);
        }
        break;
      }
      case 3: {
        // a chain: page → link → link → outside
        const a = join(source, folder, `${name}-l1`);
        const b = join(source, folder, `${name}-l2`);
        if (lstatExists(a) || lstatExists(b)) break;
        link(join(outside, 'credentials'), b);
        link(`${name}-l2`, a);
        link(`${name}-l1`, path);
        links.push(`${folder}${name}-l2`, `${folder}${name}-l1`, `${folder}${name}.md`);
        break;
      }
      case 4:
        link(`${name}.md`, path);
        links.push(folder + `${name}.md`);
        break; // a loop on itself
      case 5:
        link('nowhere.md', path);
        links.push(folder + `${name}.md`);
        break; // dangling
      case 6:
        mkfifo(path);
        specials.push(folder + `${name}.md`);
        break;
      case 7: {
        // a link to a page inside the folder: still a link, still not followed
        const target = join(source, folder, `${name}-real.md`);
        if (lstatExists(target)) break;
        write(target, `# Real ${name}\n\nInside.\n`);
        link(`${name}-real.md`, path);
        links.push(folder + `${name}.md`);
        break;
      }
      case 8: {
        // an image link out, named by a page
        const image = join(source, folder, `${name}.png`);
        if (lstatExists(image)) break;
        link(join(outside, 'dir/shot.png'), image);
        links.push(`${folder}${name}.png`);
        write(path, `# ${name}\n\n![graph](${name}.png) and [file](${name}.png)\n`);
        break;
      }
      default:
        write(
          path,
          `# Page ${name}\n\nSee [notes](notes.md), ![x](./${name}.png) and [out](../../outside/secret.md).\n`,
        );
    }
  }
  return { source, links, specials };
}

const lstatExists = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

const silent = { out: () => {}, err: () => {}, now: () => TODAY };

describe('runbook import on hostile trees', () => {
  it('never writes a byte from outside the source, never follows a link, and reports every link and special file (200 trees)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const base = temp('runbooks-import-');
      const marker = `OUTSIDE-SECRET-${seed}-${Math.random().toString(36).slice(2)}`;
      const { source, links, specials } = hostileSource(base, seed, marker);
      const repo = join(base, 'repo');
      mkdirSync(join(repo, 'src/content/runbooks'), { recursive: true });
      const outsideBefore = snapshot(join(base, 'outside'));
      const code = importTree([source, '--into', 'src/content/runbooks/imported'], { ...silent, cwd: repo });
      expect(code, `seed ${seed}`).toBe(0);
      const written = snapshot(repo);
      for (const [path, bytes] of written.files)
        expect(bytes.includes(marker), `seed ${seed}: ${path} carries bytes from outside`).toBe(false);
      expect(written.others, `seed ${seed}: the import wrote a link or a special file`).toEqual([]);
      expect(snapshot(join(base, 'outside')), `seed ${seed}: the import changed a file outside`).toEqual(outsideBefore);
      const report = readFileSync(join(repo, '.runbook/import-report.md'), 'utf8');
      for (const path of [...links, ...specials])
        expect(report, `seed ${seed}: ${path} is not in the report`).toContain(`- ${path}: not imported: a `);
      rmSync(base, { recursive: true, force: true });
    }
  }, 300_000);

  it("writes nothing through a link in the destination: a linked target folder, a planted link at a page's path, a linked report folder", () => {
    const base = temp('runbooks-import-dest-');
    const source = join(base, 'src');
    write(join(source, 'db-down.md'), '# DB down\n\nRestart it.\n');
    write(join(source, 'ops/disk.md'), '# Disk\n\n![g](g.png)\n');
    write(join(source, 'ops/g.png'), 'PNG');
    const outside = join(base, 'outside');
    mkdirSync(outside);
    const repo = join(base, 'repo');
    mkdirSync(join(repo, 'src/content/runbooks/imported'), { recursive: true });
    link(outside, join(repo, 'src/content/runbooks/imported/ops'));
    link(join(outside, 'planted.md'), join(repo, 'src/content/runbooks/imported/db-down.md'));
    const code = importTree([source, '--into', 'src/content/runbooks/imported'], { ...silent, cwd: repo });
    expect(code).toBe(0);
    expect(readdirSync(outside)).toEqual([]);
    const report = readFileSync(join(repo, '.runbook/import-report.md'), 'utf8');
    expect(report).toContain(
      '- db-down.md: not written: src/content/runbooks/imported/db-down.md is a symbolic link in the destination',
    );
    expect(report).toContain(
      '- ops/disk.md: not written: src/content/runbooks/imported/ops is a symbolic link in the destination',
    );

    // The report's own folder as a link out: refused, nothing written there.
    rmSync(join(repo, '.runbook'), { recursive: true, force: true });
    link(outside, join(repo, '.runbook'));
    const err: string[] = [];
    expect(
      importTree([source, '--into', 'src/content/runbooks/other'], { ...silent, err: (t) => err.push(t), cwd: repo }),
    ).toBe(1);
    expect(err.join('\n')).toContain('.runbook is a symbolic link: the import report is not written through it.');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('pins the report of the attack: notes.md -> ~/.aws/credentials is listed, not imported', () => {
    const base = temp('runbooks-import-aws-');
    write(join(base, 'home/.aws/credentials'), '[default]\naws_secret_access_key = AKIA-THE-SECRET\n');
    write(join(base, 'legacy/db-down.md'), '# DB down\n\nRestart it.\n');
    link(join(base, 'home/.aws/credentials'), join(base, 'legacy/notes.md'));
    mkfifo(join(base, 'legacy/hang.md'));
    mkdirSync(join(base, 'repo/src/content/runbooks'), { recursive: true });
    const out: string[] = [];
    expect(importTree([join(base, 'legacy')], { ...silent, out: (t) => out.push(t), cwd: join(base, 'repo') })).toBe(0);
    expect(out[0]).toBe(
      'Imported 1 page (plain) into src/content/runbooks/legacy (0 already there, left as they are), 0 linked files copied, 2 not imported (symbolic links, special files; listed in the report). Every change: .runbook/import-report.md.',
    );
    const report = readFileSync(join(base, 'repo/.runbook/import-report.md'), 'utf8');
    expect(report).toContain(
      `## Not imported\n\n- hang.md: not imported: a FIFO (named pipe)\n- notes.md: not imported: a symbolic link (→ ${join(base, 'home/.aws/credentials')})\n`,
    );
    expect(existsSync(join(base, 'repo/src/content/runbooks/legacy/notes.md'))).toBe(false);
  });
});

/** Plants a hostile entry into a check project; returns the file a finding must name, if one must. */
type Plant = (repo: string, outside: string, i: number) => string | undefined;
const PLANTS: Plant[] = [
  (repo, outside, i) => {
    link(join(outside, 'secret.md'), join(repo, `src/content/runbooks/t/p${i}.md`));
    return `src/content/runbooks/t/p${i}.md`;
  },
  (repo, outside, i) => {
    link(
      relative(join(repo, 'src/content/runbooks/t'), join(outside, 'secret.md')),
      join(repo, `src/content/runbooks/t/r${i}.md`),
    );
    return `src/content/runbooks/t/r${i}.md`;
  },
  (repo, outside, i) => {
    link(join(outside, 'dir'), join(repo, `src/content/runbooks/d${i}`));
    return `src/content/runbooks/d${i}`;
  },
  (repo, outside, i) => {
    // a chain of links, the last one out
    link(join(outside, 'secret.md'), join(repo, `ops/chain${i}.md`));
    link(`../../../../ops/chain${i}.md`, join(repo, `src/content/runbooks/t/c${i}.md`));
    return `src/content/runbooks/t/c${i}.md`;
  },
  (repo, outside, i) => {
    // a linked folder in the middle of the path of a page's image
    link(join(outside, 'dir'), join(repo, `src/content/runbooks/t/img${i}`));
    write(
      join(repo, `src/content/runbooks/t/pic${i}.md`),
      `---\ntitle: Pic\nowner: "@ops-team"\n---\n\n![x](img${i}/shot.png)\n`,
    );
    return `src/content/runbooks/t/pic${i}.md`;
  },
  (repo, outside, i) => {
    link(join(outside, 'dir/shot.png'), join(repo, `src/content/runbooks/t/s${i}.png`));
    write(
      join(repo, `src/content/runbooks/t/img-page${i}.md`),
      `---\ntitle: Img\nowner: "@ops-team"\n---\n\n![x](s${i}.png)\n`,
    );
    return `src/content/runbooks/t/img-page${i}.md`;
  },
  (repo, outside) => {
    rmSync(join(repo, 'src/content/severity.yaml'));
    link(join(outside, 'secret.yaml'), join(repo, 'src/content/severity.yaml'));
    return 'src/content/severity.yaml';
  },
  (repo, outside, i) => {
    link(join(outside, 'secret.yaml'), join(repo, `src/content/slos/s${i}.yaml`));
    return `src/content/slos/s${i}.yaml`;
  },
  (repo, outside) => {
    link(join(outside, 'secret.md'), join(repo, 'shortlinks.lock'));
    return 'shortlinks.lock';
  },
  (repo, outside) => {
    link(join(outside, 'secret.md'), join(repo, '.github/CODEOWNERS'));
    return '.github/CODEOWNERS';
  },
  (repo, outside) => {
    link(join(outside, 'secret.yaml'), join(repo, 'runbooks.config.yaml'));
    return 'runbooks.config.yaml';
  },
  (repo, outside, i) => {
    // an alert rule file linked out (the default globs match it)
    write(
      join(outside, 'rules.yaml'),
      `groups: [{ name: x, rules: [{ alert: X, expr: up, annotations: { runbook_url: /r/OUTSIDE } }] }]\n`,
    );
    link(join(outside, 'rules.yaml'), join(repo, `alerts/r${i}.yaml`));
    return lstatExists(join(repo, 'runbooks.config.yaml')) ? undefined : `alerts/r${i}.yaml`;
  },
  (repo, _outside, i) => {
    link(`loop${i}.md`, join(repo, `src/content/runbooks/t/loop${i}.md`));
    return `src/content/runbooks/t/loop${i}.md`;
  },
  (repo, _outside, i) => {
    mkfifo(join(repo, `src/content/runbooks/t/fifo${i}.md`));
    return `src/content/runbooks/t/fifo${i}.md`;
  },
  (repo, outside, i) => {
    link(join(outside, 'secret.md'), join(repo, `ops/out${i}.sh`));
    write(
      join(repo, `src/content/runbooks/t/sc${i}.md`),
      `---\ntitle: Sc\nowner: "@ops-team"\n---\n\n::script{path=ops/out${i}.sh}\n`,
    );
    return `src/content/runbooks/t/sc${i}.md`;
  },
];

describe('runbook check never reads outside the repository', () => {
  it('reports every way out, and no secret planted outside reaches a finding (200 projects)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = random(seed * 7919);
      const repo = project();
      const outside = temp('runbooks-outside-');
      const marker = `OUTSIDE-SECRET-${seed}-${Math.random().toString(36).slice(2)}`;
      write(
        join(outside, 'secret.md'),
        `---\ntitle: ${marker}\nowner: "@ops-team"\n---\n\n[x](/${marker}/) ${marker}\n`,
      );
      write(join(outside, 'secret.yaml'), `levels: [${marker}]\n${marker}: [\n`);
      write(join(outside, 'dir/page.md'), `---\ntitle: ${marker}\n---\n\n[x](/${marker}/)\n`);
      write(join(outside, 'dir/shot.png'), `not a png ${marker}`);
      const expected = new Set<string>();
      const count = 1 + r.int(4);
      for (let i = 0; i < count; i++) {
        const plant = r.pick(PLANTS);
        try {
          const file = plant(repo, outside, i);
          if (file) expected.add(file);
        } catch (error) {
          // The same fixed-name file planted twice: the first one stands.
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' && !String(error).includes('File exists')) throw error;
        }
      }
      let found: Diagnostic[];
      try {
        found = checkProject(repo, { today: TODAY });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        found = error.diagnostics;
      }
      const text = JSON.stringify(found);
      expect(text.includes(marker), `seed ${seed}: a secret from outside reached the report: ${text}`).toBe(false);
      // A broken config or ladder stops the check before the pages: it must be among the findings then.
      const stoppers = ['runbooks.config.yaml', 'src/content/severity.yaml'].filter((f) => expected.has(f));
      const must = stoppers.length ? stoppers.slice(0, 1) : [...expected];
      for (const file of must)
        expect(
          found.some((d) => d.file === file && d.severity === 'error'),
          `seed ${seed}: nothing reported for ${file}: ${text}`,
        ).toBe(true);
    }
  }, 300_000);

  it('a page linked to a FIFO outside the repository: the check ends, reports it, and never opens the FIFO', () => {
    // Opening a FIFO for reading blocks until a writer comes: a check that read it would hang.
    const repo = project();
    const outside = temp('runbooks-fifo-');
    mkfifo(join(outside, 'pipe'));
    link(join(outside, 'pipe'), join(repo, 'src/content/runbooks/t/pipe.md'));
    mkfifo(join(repo, 'src/content/runbooks/t/inside-pipe.md'));
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts/runbook.ts'), 'check', '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.signal, 'the check hung on a FIFO').toBeNull();
    const found = (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics.map((d) => [
      d.ruleId,
      d.file,
      d.line,
      d.column,
      d.message,
    ]);
    expect(found).toEqual([
      [
        'file-unreadable',
        'src/content/runbooks/t/inside-pipe.md',
        1,
        1,
        'The file cannot be read (a FIFO (named pipe))',
      ],
      [
        'path-outside-repo',
        'src/content/runbooks/t/pipe.md',
        1,
        1,
        `The page leads outside the repository (a symbolic link to ${join(outside, 'pipe')}): not read`,
      ],
    ]);
  }, 90_000);
});

describe('the CLI never reads or writes a fixed-name file through a link out of the repository', () => {
  /** A project whose file `name` is a link to an outside file holding a marker; returns the project, the outside file and its bytes. */
  const linked = (name: string) => {
    const repo = project();
    const outside = temp('runbooks-fixed-');
    const secret = join(outside, 'secret');
    const marker = `OUTSIDE-SECRET-${name}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(secret, `{ "not json ${marker}\n`);
    link(secret, join(repo, name));
    return { repo, secret, marker, before: readFileSync(secret) };
  };

  it('runbooks.config.yaml: one finding, exit 1, nothing quoted', async () => {
    const { repo, secret, marker } = linked('runbooks.config.yaml');
    const run = await cli(['check', '--format', 'json'], repo, { now: TODAY });
    expect(run.code).toBe(1);
    expect(run.out).not.toContain(marker);
    expect(
      (JSON.parse(run.out) as { diagnostics: Diagnostic[] }).diagnostics.map((d) => [
        d.ruleId,
        d.file,
        d.line,
        d.column,
        d.message,
        d.hint,
      ]),
    ).toEqual([
      [
        'path-outside-repo',
        'runbooks.config.yaml',
        1,
        1,
        `runbooks.config.yaml leads outside the repository (a symbolic link to ${secret}): not read`,
        'Put the file itself in the repository instead of a link to it, or delete the link.',
      ],
    ]);
  });

  it('runbooks.baseline.json: reported, never quoted, and --update-baseline does not write through it', async () => {
    const { repo, secret, marker, before } = linked('runbooks.baseline.json');
    const run = await cli(['check', '--format', 'json'], repo, { now: TODAY });
    expect(run.code).toBe(1);
    expect(run.out).not.toContain(marker);
    expect(
      (JSON.parse(run.out) as { diagnostics: Diagnostic[] }).diagnostics.map((d) => [
        d.ruleId,
        d.file,
        d.line,
        d.column,
      ]),
    ).toEqual([['path-outside-repo', 'runbooks.baseline.json', 1, 1]]);
    const update = await cli(['check', '--update-baseline'], repo, { now: TODAY });
    expect(update.code).toBe(1);
    expect(update.err).toBe(
      `runbooks.baseline.json is not a file of the repository (a symbolic link to ${secret}): not written.`,
    );
    expect(readFileSync(secret)).toEqual(before);
  });

  it('shortlinks.lock: `runbook lock` refuses, the outside file is unchanged', async () => {
    const { repo, secret, marker, before } = linked('shortlinks.lock');
    const run = await cli(['lock'], repo, { now: TODAY });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `shortlinks.lock leads outside the repository or is not a file (a symbolic link to ${secret}): not read, not written.`,
    );
    expect(`${run.out}${run.err}`).not.toContain(marker);
    expect(readFileSync(secret)).toEqual(before);
  });

  it('.github/CODEOWNERS: `runbook codeowners` refuses, the outside file is unchanged', async () => {
    const { repo, secret, marker, before } = linked('.github/CODEOWNERS');
    const run = await cli(['codeowners'], repo, { now: TODAY });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `.github/CODEOWNERS leads outside the repository (a symbolic link to ${secret}): not read; .github/CODEOWNERS not written.`,
    );
    expect(`${run.out}${run.err}`).not.toContain(marker);
    expect(readFileSync(secret)).toEqual(before);
  });

  it('a .github folder linked out of the repository: CODEOWNERS is not written into it', async () => {
    const repo = project();
    const outside = temp('runbooks-github-');
    link(outside, join(repo, '.github'));
    const run = await cli(['codeowners'], repo, { now: TODAY });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `.github/CODEOWNERS leads outside the repository (a symbolic link to ${join(outside, 'CODEOWNERS')}): not read; .github/CODEOWNERS not written.`,
    );
    expect(readdirSync(outside)).toEqual([]);
  });
});

/** The URL Astro and Starlight publish for a content path: github-slugged segments, no `index`, NFC. */
const oracleUrl = (entry: string) =>
  `/${entry
    .replace(/\.mdx?$/, '')
    .split('/')
    .map((s) => githubSlug(s))
    .join('/')
    .replace(/(^|\/)index$/, '')}/`
    .replace(/\/\/+/g, '/')
    .normalize('NFC');

describe('URL collisions', () => {
  it('every two files on one URL (after NFC and case folding) are a finding naming the other (300 sets of names)', () => {
    const SEGMENTS = [
      'caf\u00e9',
      'cafe\u0301',
      'CAF\u00c9',
      'Cafe\u0301',
      'db down',
      'db-down',
      'DB-Down',
      'db_down',
      'x',
      'X',
      'index',
      'stra\u00dfe',
      'STRASSE',
      '\u03a3\u03bf\u03c2',
      '\u03c3\u03bf\u03c3',
    ];
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed * 104_729);
      const files = new Set<string>();
      const count = 2 + r.int(5);
      for (let i = 0; i < count; i++) {
        const folder = r.pick(['g/', 'g/', 'G/', 'h/']);
        files.add(`src/content/runbooks/${folder}${r.pick(SEGMENTS)}${r.pick(['.md', '.md', '.mdx'])}`);
      }
      // Two names one file system cannot hold apart would be one file: keep the first.
      const repo = project();
      const written: string[] = [];
      for (const file of files) {
        if (lstatExists(join(repo, file))) continue;
        write(join(repo, file), `---\ntitle: T\nowner: "@ops-team"\n---\n\nText.\n`);
        written.push(file);
      }
      const found = checkProject(repo, { today: TODAY }).filter((d) => d.ruleId === 'page-url-conflict');
      const groups = new Map<string, string[]>();
      for (const file of written) {
        const key = oracleUrl(file.slice('src/content/runbooks/'.length))
          .toLowerCase()
          .replace(/\u03c2/g, '\u03c3');
        groups.set(key, [...(groups.get(key) ?? []), file]);
      }
      const colliding = [...groups.values()].filter((g) => g.length > 1);
      expect(found.length, `seed ${seed}: ${JSON.stringify(written)} → ${JSON.stringify(found)}`).toBe(
        colliding.reduce((n, g) => n + g.length - 1, 0),
      );
      for (const d of found) {
        const group = colliding.find((g) => g.includes(d.file));
        expect(group, `seed ${seed}: ${d.file} reported without a twin`).toBeDefined();
        const shown = (s: string) =>
          s.replace(/\p{M}/gu, (m) => `\\u${m.codePointAt(0)!.toString(16).padStart(4, '0')}`);
        expect(
          group!.some((other) => other !== d.file && (d.message.includes(other) || d.message.includes(shown(other)))),
          `seed ${seed}: ${d.message} names no twin`,
        ).toBe(true);
      }
    }
  }, 300_000);
});
