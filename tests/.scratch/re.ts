import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stripTypeScriptTypes } from 'node:module';
import { parse } from 'acorn';
import { checkSync } from 'recheck';
const files = (d: string): string[] => readdirSync(d).flatMap((n) => statSync(join(d, n)).isDirectory() ? files(join(d, n)) : /\.ts$/.test(n) ? [join(d, n)] : []);
const out: { file: string; source: string; flags: string }[] = [];
for (const f of [...files('src/plugins'), ...files('scripts')]) {
  const code = stripTypeScriptTypes(readFileSync(f, 'utf8'));
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  const walk = (n: any) => {
    if (!n || typeof n.type !== 'string') return;
    if (n.type === 'Literal' && n.regex) out.push({ file: `${f}:${n.loc.start.line}`, source: n.regex.pattern, flags: n.regex.flags });
    if ((n.type === 'NewExpression' || n.type === 'CallExpression') && n.callee.type === 'Identifier' && n.callee.name === 'RegExp') {
      const a = n.arguments[0];
      if (a?.type === 'Literal' && typeof a.value === 'string') out.push({ file: `${f}:${n.loc.start.line}`, source: a.value, flags: n.arguments[1]?.value ?? '' });
      else out.push({ file: `${f}:${n.loc.start.line}`, source: '<dynamic>', flags: '' });
    }
    for (const k in n) { const v = n[k]; if (Array.isArray(v)) v.forEach(walk); else if (v && typeof v === 'object' && k !== 'loc') walk(v); }
  };
  walk(ast);
}
console.log(out.length, 'regexes');
const t0 = performance.now();
const seen = new Set(); for (const r of out) { if (seen.has(r.source + '/' + r.flags)) continue; seen.add(r.source + '/' + r.flags);
  if (r.source === '<dynamic>') { console.log('DYNAMIC', r.file); continue; }
  let res = checkSync(r.source, r.flags, { timeout: 5000, checker: 'automaton' }); if (res.status === 'unknown') { res = checkSync(r.source, r.flags, { timeout: 3000, checker: 'fuzz' }); (res as any).fz = 1; }
  if (res.status !== 'safe') console.log(res.status, res.status === 'vulnerable' ? res.complexity.type + ' ' + res.complexity.summary : '', r.file, `/${r.source}/${r.flags}`);
}
console.log((performance.now() - t0).toFixed(0), 'ms');
