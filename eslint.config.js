// Lint for the code that runs in readers' browsers: client scripts and the inline scripts
// of .astro components. The one rule that matters here: no page-derived text becomes
// markup (innerHTML, outerHTML, insertAdjacentHTML, document.write…): build DOM nodes and
// set textContent instead. typescript-eslint does not support our TypeScript, so a
// processor strips the types first with Node's own stripper, which keeps every line and
// column, and espree parses plain JavaScript.
import { stripTypeScriptTypes } from 'node:module';
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

/** TypeScript (or an .astro file's scripts) as JavaScript at the same positions. */
const typesStripped = {
  meta: { name: 'runbooks-strip-types' },
  preprocess(text, filename) {
    const code = filename.endsWith('.astro') ? astroScripts(text) : text;
    return [{ text: stripTypeScriptTypes(code, { mode: 'strip' }), filename: 'stripped.js' }];
  },
  postprocess: (messages) => messages.flat(),
  supportsAutofix: false,
};

const markupSinks = ['innerHTML', 'outerHTML'].map((property) => ({
  selector: `AssignmentExpression > MemberExpression.left[property.name='${property}']`,
  message: `Do not assign to ${property}: build the nodes and set textContent (page-derived text must never become markup).`,
}));

export default [
  { files: ['src/**/client/**/*.ts', 'src/**/*.astro'], processor: typesStripped },
  {
    files: ['**/*.ts/*.js', '**/*.astro/*.js'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { 'no-unsanitized': noUnsanitized },
    rules: {
      'no-unsanitized/property': 'error',
      'no-unsanitized/method': 'error',
      'no-restricted-syntax': ['error', ...markupSinks, { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|setHTMLUnsafe|createContextualFragment|write|writeln)$/]", message: 'No markup from strings: build the nodes and set textContent.' }],
    },
  },
];
