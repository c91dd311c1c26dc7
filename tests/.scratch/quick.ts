import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { checkFacts } from '../../src/plugins/check/index.ts';
import { defaultConfig } from '../../src/plugins/runbook/config.ts';
import { CLASSES, rng } from '../../scripts/bench/pathological.ts';
const size = Number(process.argv[2] ?? 65536);
for (const [name, { generate }] of Object.entries(CLASSES)) {
  const p = generate(size, rng(5));
  let t = performance.now();
  const f = collectFacts(p.text, `src/content/runbooks/b.${p.ext}`, `b.${p.ext}`, { mdxBindings: true });
  const c = performance.now() - t; t = performance.now();
  checkFacts('/work/wt/limits', [f], { config: defaultConfig(), today: new Date() });
  console.log(name.padEnd(24), 'collect', c.toFixed(0), 'rules', (performance.now() - t).toFixed(0), f.problems.map((q) => q.kind).join(','));
}
