import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { CLASSES, rng } from '../../scripts/bench/pathological.ts';
for (const name of process.argv.slice(3)) for (const size of process.argv[2].split(',').map(Number)) {
  const p = CLASSES[name].generate(size, rng(5));
  const t = performance.now();
  collectFacts(p.text, `src/content/runbooks/b.${p.ext}`, `b.${p.ext}`, { mdxBindings: true });
  console.log(name, size, (performance.now() - t).toFixed(0));
}
