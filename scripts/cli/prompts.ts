/**
 * The real {@link Prompter}: @clack/prompts, drawn on stderr so stdout carries only
 * what the snippets print. Imported lazily: a read-only run never pays for it.
 */
import { forTerminal } from '../../src/plugins/model-reader.ts';

/** The questions the CLI asks. Both resolve to "no" (`undefined`/`false`) when the person cancels. */
export interface Prompter {
  /** Asks for a line of text; `secret` hides what is typed. `validate` returns a problem or undefined. */
  text(question: {
    message: string;
    secret?: boolean;
    placeholder?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string | undefined>;
  /** Asks a yes/no question whose default is No. */
  confirm(message: string): Promise<boolean>;
}

/** Prompt text quotes the runbook (a description, an example, a confirm word): the guard shows it, on one line. */
const shown = (text: string | undefined) =>
  text === undefined ? undefined : forTerminal(text, { oneLine: true, color: Boolean(process.stderr.isTTY) });

/** Prompts on the terminal. */
export function terminalPrompter(): Prompter {
  return {
    async text({ message, secret, placeholder, validate }) {
      const clack = await import('@clack/prompts');
      const check = (value: string | undefined) => shown(validate?.(value ?? ''));
      const answer = secret
        ? await clack.password({ message: shown(message)!, validate: check, output: process.stderr })
        : await clack.text({
            message: shown(message)!,
            placeholder: shown(placeholder),
            validate: check,
            output: process.stderr,
          });
      return clack.isCancel(answer) ? undefined : answer;
    },
    async confirm(message) {
      const clack = await import('@clack/prompts');
      const answer = await clack.confirm({ message: shown(message)!, initialValue: false, output: process.stderr });
      return answer === true;
    },
  };
}
