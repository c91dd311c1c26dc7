import { scanLimits } from '../../src/plugins/runbook/limits.ts';
import { CLASSES, rng } from '../../scripts/bench/pathological.ts';
const p = CLASSES.lists.generate(32768, rng(5));
console.log(JSON.stringify(p.text.slice(0, 300)));
console.log(scanLimits(p.text, false));
console.log(scanLimits('---\ntitle: x\n---\n\n' + Array.from({length: 50}, (_, i) => '  '.repeat(i) + '- x').join('\n'), false));
