import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { checkFacts, } from '../../src/plugins/check/index.ts';
import { rules } from '../../src/plugins/check/rules.ts';
import { defaultConfig } from '../../src/plugins/runbook/config.ts';
import { loadSeverityLadder } from '../../src/plugins/severity/ladder.ts';
import { CLASSES, rng } from '../../scripts/bench/pathological.ts';
const name = process.argv[2];
for (const size of [262144, 524288, 1024000]) {
  const p = CLASSES[name].generate(size, rng(5));
  let t = performance.now();
  const f = collectFacts(p.text, `src/content/runbooks/b.${p.ext}`, `b.${p.ext}`, { mdxBindings: true });
  const c = performance.now() - t;
  const ctx = { root: '/work/wt/limits', config: defaultConfig(), ladder: loadSeverityLadder('/work/wt/limits/src/content/severity.yaml', 'x'), slos: new Set(), pages: new Map([[f.url, f]]), shortlinks: new Map(), today: new Date(), ruleIds: new Set(rules.map((r) => r.id)) };
  const slow: string[] = [];
  for (const r of rules) { t = performance.now(); r.check([f], ctx as never); const d = performance.now() - t; if (d > 50) slow.push(`${r.id}=${d.toFixed(0)}`); }
  console.log(name, size, 'collect', c.toFixed(0), slow.join(' '));
}
