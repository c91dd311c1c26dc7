// House rules for all our code. Two concerns:
// 1. Bugs the compiler lets through, found with type information (typescript-eslint, run on
//    TypeScript 6's API because typescript-eslint does not read TypeScript 7 yet; the
//    typecheck itself stays on TypeScript 7): promises nobody awaits or that go where a
//    callback's result is ignored, `await` on what is not a promise, switches that miss a
//    case, objects that print as "[object Object]", throwing or rejecting with non-errors.
//    Plus `import type` for types: Node strips types without reading other files, so a
//    type imported as a value breaks at run time.
// 2. Code that runs in readers' browsers (client scripts and the inline scripts of .astro
//    components): no page-derived text becomes markup (innerHTML, outerHTML,
//    insertAdjacentHTML, document.write…): build DOM nodes and set textContent instead.
//    .astro scripts are read by a processor that blanks everything outside `<script>` and
//    strips the types with Node's own stripper (every line and column kept); espree parses
//    the JavaScript that is left.
import { stripTypeScriptTypes } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import noUnsanitized from 'eslint-plugin-no-unsanitized';

/** Blanks every character outside `<script>` bodies, keeping newlines, so positions stay. */
function astroScripts(text) {
  let out = '';
  let at = 0;
  const lower = text.toLowerCase();
  for (let open = lower.indexOf('<script', at); open !== -1; open = lower.indexOf('<script', at)) {
    const bodyStart = lower.indexOf('>', open) + 1;
    const close = lower.indexOf('</script', bodyStart);
    if (bodyStart === 0 || close === -1) break;
    out += blank(text.slice(at, bodyStart)) + text.slice(bodyStart, close);
    at = close;
  }
  return out + blank(text.slice(at));
}

const blank = (s) => s.replace(/[^\n]/g, ' ');

/** An .astro file's scripts as JavaScript at the same positions. */
const astroScriptsStripped = {
  meta: { name: 'runbooks-astro-scripts' },
  preprocess: (text) => [
    { text: stripTypeScriptTypes(astroScripts(text), { mode: 'strip' }), filename: 'stripped.js' },
  ],
  postprocess: (messages) => messages.flat(),
  supportsAutofix: false,
};

// In TypeScript the sink may sit under a type wrapper (`(el as HTMLElement).innerHTML`,
// `(document.write as Fn)(…)`, `el.insertAdjacentHTML!(…)`); the selectors look through them,
// so client TypeScript is held exactly as firmly as the type-stripped .astro scripts.
const wrapped = ':matches(TSAsExpression, TSNonNullExpression, TSSatisfiesExpression, TSTypeAssertion)';
const markupSinks = ['innerHTML', 'outerHTML'].flatMap((property) => {
  const message = `Do not assign to ${property}: build the nodes and set textContent (page-derived text must never become markup).`;
  return [
    { selector: `AssignmentExpression > MemberExpression.left[property.name='${property}']`, message },
    { selector: `AssignmentExpression > ${wrapped}.left MemberExpression[property.name='${property}']`, message },
  ];
});
const markupCalls = '/^(insertAdjacentHTML|setHTMLUnsafe|createContextualFragment|write|writeln)$/';
const callMessage = 'No markup from strings: build the nodes and set textContent.';
const noMarkup = {
  plugins: { 'no-unsanitized': noUnsanitized },
  rules: {
    'no-unsanitized/property': 'error',
    'no-unsanitized/method': 'error',
    'no-restricted-syntax': [
      'error',
      ...markupSinks,
      { selector: `CallExpression[callee.property.name=${markupCalls}]`, message: callMessage },
      {
        selector: `CallExpression > ${wrapped}.callee MemberExpression[property.name=${markupCalls}]`,
        message: callMessage,
      },
    ],
  },
};

export default defineConfig([
  { ignores: ['dist/', '.astro/', 'test-results/', 'playwright-report/', '.runbook/', 'tests/fixtures/.tmp/'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    ignores: ['**/*.astro/**'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-base-to-string': 'error',
      // Objects, arrays and unknown values in text; `undefined` is allowed (37 places print a
      // value an invariant the compiler cannot see guarantees, such as a status's age).
      '@typescript-eslint/restrict-template-expressions': 'error',
      '@typescript-eslint/restrict-plus-operands': ['error', { allowNumberAndString: true }],
      '@typescript-eslint/require-array-sort-compare': ['error', { ignoreStringArrays: true }],
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports', disallowTypeAnnotations: false },
      ],
      'no-self-compare': 'error',
      'no-constant-binary-expression': 'error',
      'no-unsafe-finally': 'error',
      'no-unreachable-loop': 'error',
    },
  },
  { files: ['src/**/client/**/*.ts'], ...noMarkup },
  { files: ['src/**/*.astro'], processor: astroScriptsStripped },
  { files: ['**/*.astro/*.js'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' }, ...noMarkup },
]);
