/** Where a project keeps its runbooks, relative to its root. */
export const CONTENT_DIR = 'src/content/runbooks';
/** The severity ladder file, relative to the root. */
export const LADDER_FILE = 'src/content/severity.yaml';
/** The SLO folder, relative to the root. */
export const SLO_DIR = 'src/content/slos';
