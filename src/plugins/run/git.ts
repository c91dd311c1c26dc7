/** What a transcript entry says about who ran it and on which commit, asked of git. */
import { spawnProcess } from './spawn.ts';

/** Who is running: git's user.email, else $USER. */
export async function operator(root: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await spawnProcess('git', ['config', 'user.email'], { cwd: root, env, timeoutMs: 5000 });
  return (r.exitCode === 0 && r.stdout.trim()) || env.USER || env.USERNAME || 'unknown';
}

/** The checked-out commit, or null outside a git repository (or without git). */
export async function gitSha(root: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await spawnProcess('git', ['rev-parse', 'HEAD'], { cwd: root, env, timeoutMs: 5000 });
  return r.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(r.stdout.trim()) ? r.stdout.trim() : null;
}
