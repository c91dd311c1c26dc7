import { checkSync } from 'recheck';
for (const checker of ['automaton', 'fuzz', 'auto'] as const) {
  const t = performance.now();
  for (let i = 0; i < 10; i++) checkSync('a[bc]+d' + 'x'.repeat(i), '', { timeout: 5000, checker });
  console.log(checker, process.env.RECHECK_SYNC_BACKEND, (performance.now() - t) / 10);
}
