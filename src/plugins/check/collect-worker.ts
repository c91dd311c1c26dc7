/**
 * A worker thread that collects the facts of its share of the files, so
 * `runbook check` uses both cores. Facts are plain data and cross back by
 * structured clone.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { collectFacts } from './collect.ts';

/** One file to collect: absolute path, path from the root, path from the content folder. */
export interface WorkItem {
  path: string;
  file: string;
  entry: string;
}

const { items, maxBytes } = workerData as { items: WorkItem[]; maxBytes: number };
parentPort?.postMessage(items.map((it) => collectFacts(readFileSync(it.path), it.file, it.entry, maxBytes)));
