/**
 * The real {@link Prompter}: @clack/prompts, drawn on stderr so stdout carries only
 * what the snippets print. Imported lazily: a read-only run never pays for it.
 */
import type { Prompter } from '../context.ts';

/** Prompts on the terminal. */
export function terminalPrompter(): Prompter {
  return {
    async text({ message, secret, placeholder, validate }) {
      const clack = await import('@clack/prompts');
      const check = (value: string | undefined) => validate?.(value ?? '');
      const answer = secret
        ? await clack.password({ message, validate: check, output: process.stderr })
        : await clack.text({ message, placeholder, validate: check, output: process.stderr });
      return clack.isCancel(answer) ? undefined : answer;
    },
    async confirm(message) {
      const clack = await import('@clack/prompts');
      const answer = await clack.confirm({ message, initialValue: false, output: process.stderr });
      return answer === true;
    },
  };
}
