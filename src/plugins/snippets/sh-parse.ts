/**
 * The variable uses of a shell snippet as far as mvdan/sh (the parser behind shfmt, on npm
 * as sh-syntax, WebAssembly) can tell them, kept to compare with our lexer in
 * snippet.ts: tests/hostile/shell-parsers.test.ts judges both against real bash. The
 * site and the CLI do not use it (see the README: sh-syntax is async-only and its
 * JavaScript tree stops at statements).
 *
 * sh-syntax 0.7 hands JavaScript positions only: top-level statements, their comments,
 * their redirections with here-document bodies, and untyped spans for words. No node
 * says "parameter expansion", "double quotes" or "arithmetic", and nothing inside an
 * `if`, a pipeline or `$(…)` is there at all. So this reading takes from the parser what
 * it knows (whether bash would accept the text, where top-level comments and
 * here-documents are) and reads the words between them with our lexer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Comment, type File, getProcessor } from 'sh-syntax';
import { evaluatedUses, type VariableUse, variableUses } from './snippet.ts';

/**
 * sh-syntax's own `parse` compiles its 750 KB module again on every call; compiled once
 * here, each parse only instantiates it (a fresh Go runtime per call, as sh-syntax does).
 */
let module: WebAssembly.Module | undefined;
const parse = getProcessor((imports) => {
  module ??= new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve('sh-syntax/main.wasm')));
  return WebAssembly.instantiate(module, imports);
});

/** Index into the JavaScript string for each UTF-8 byte offset (the parser counts bytes). */
function byteToIndex(text: string): (byte: number) => number {
  const at: number[] = [];
  let i = 0;
  for (const ch of text) {
    const bytes = Buffer.byteLength(ch);
    for (let b = 0; b < bytes; b++) at.push(i);
    i += ch.length;
  }
  at.push(i);
  return (byte) => at[Math.min(byte, at.length - 1)];
}

/** The snippet as mvdan/sh reads it: variable uses, and those bash evaluates as code. Rejects text bash would not parse. */
export async function shReading(text: string): Promise<{ uses: VariableUse[]; evaluated: VariableUse[] }> {
  const file = await parse(text, { keepComments: true });
  const index = byteToIndex(text);
  const masked = [...text];
  const blank = (from: number, to: number) => {
    for (let k = index(from); k < index(to); k++) if (masked[k] !== '\n') masked[k] = ' ';
  };
  const bodies: { from: number; to: number }[] = [];
  // The comments after the last statement come as `Last`, which sh-syntax's types leave out.
  const last = (file as File & { Last?: Comment[] }).Last ?? [];
  for (const c of [...file.Stmts.flatMap((s) => s.Comments), ...last]) blank(c.Pos.Offset, c.End.Offset);
  for (const r of file.Stmts.flatMap((s) => s.Redirs)) {
    if ((r.Op !== '<<' && r.Op !== '<<-') || !r.Word) continue;
    blank(r.OpPos.Offset, r.Word.End.Offset);
    if (!r.Hdoc) continue;
    // The body's span runs to the end of its closing line; a quoted delimiter keeps the body literal.
    const from = index(r.Hdoc.Pos.Offset);
    const to = index(r.Hdoc.End.Offset);
    blank(r.Hdoc.Pos.Offset, r.Hdoc.End.Offset);
    if (!/['"\\]/.test(text.slice(index(r.Word.Pos.Offset), index(r.Word.End.Offset))))
      bodies.push({ from, to: Math.max(from, text.lastIndexOf('\n', to - 1)) });
  }
  const rest = masked.join('');
  const uses = variableUses(rest);
  for (const { from, to } of bodies) {
    // A body reads like a double-quoted string in which `"` is a plain character.
    const body = `"${text.slice(from, to).replace(/"/g, ' ')}"`;
    uses.push(...variableUses(body).map((u) => ({ ...u, offset: u.offset + from - 1, inDoubleQuotes: false })));
  }
  uses.sort((a, b) => a.offset - b.offset);
  return { uses, evaluated: evaluatedUses(text, uses) };
}
