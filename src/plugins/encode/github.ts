/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped the way
 * GitHub's own toolkit does, so a value never ends the command or starts a new one.
 */

/** A workflow command's message: `%`, `\r` and `\n` percent-encoded (what @actions/core's escapeData does). */
export const workflowData = (text: string) =>
  String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A workflow command's property value: as {@link workflowData}, and `:` and `,` too (what @actions/core's escapeProperty does). */
export const workflowProperty = (text: string) => workflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (50 per job) and
 * drops the rest without a word: reporters emit no more than this of each kind.
 */
export const ANNOTATIONS_PER_KIND = 10;
