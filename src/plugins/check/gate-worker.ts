/**
 * The build's gate on a worker thread (./post-build.ts startGate): it loads the project at
 * the root it is given, as runbooksConfig loaded it, runs the gate and posts the result
 * (plain data: facts, findings, the baseline's summary, the refused pages).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadProject } from '../project/load.ts';
import { checkBeforeBuild } from './post-build.ts';

const { root, cacheDir } = workerData as { root: string; cacheDir?: string };
parentPort?.postMessage(checkBeforeBuild(loadProject(root), cacheDir));
