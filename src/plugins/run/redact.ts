/**
 * Secret values never leave the CLI: not on the terminal, not in a transcript. Output
 * arrives in chunks, so a secret may be split across two of them; the redactor holds
 * back just the end of a chunk that could be the start of a secret.
 */

/** What a secret value is replaced with, everywhere. */
export const MASK = '••••';

/** Replaces every occurrence of `secrets` in `text` (longest first, so one secret inside another cannot leave a tail). */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of ordered(secrets)) result = result.split(secret).join(MASK);
  return result;
}

function ordered(secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

/** A streaming redactor: `push` each decoded chunk, print what it returns, then print `end()`. */
export class Redactor {
  private readonly secrets: string[];
  private readonly longest: number;
  private pending = '';

  constructor(secrets: readonly string[]) {
    this.secrets = ordered(secrets);
    this.longest = this.secrets[0]?.length ?? 0;
  }

  /** Takes the next chunk; returns the text that is now safe to show. */
  push(chunk: string): string {
    if (this.secrets.length === 0) return chunk;
    // Hold back first, on the text as it arrived, then mask what is let go: a secret that
    // begins with another (a cut form of it) must not have its start masked on its own
    // while its rest is still to come.
    const text = this.pending + chunk;
    const keep = this.heldBack(text);
    this.pending = text.slice(text.length - keep);
    return redact(text.slice(0, text.length - keep), this.secrets);
  }

  /** The rest, at the end of the stream. */
  end(): string {
    const rest = redact(this.pending, this.secrets);
    this.pending = '';
    return rest;
  }

  /** Length of the longest tail of `text` that begins some secret, or is one (a longer one may continue it in the next chunk). */
  private heldBack(text: string): number {
    for (let k = Math.min(this.longest, text.length); k > 0; k--) {
      const tail = text.slice(text.length - k);
      if (this.secrets.some((s) => s.startsWith(tail))) return k;
    }
    return 0;
  }
}
