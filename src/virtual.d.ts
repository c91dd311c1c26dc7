declare module 'virtual:runbooks/ladder' {
  import type { SeverityLevel } from './plugins/severity-ladder.ts';
  /** The project's severity ladder, as loaded at config time. */
  const ladder: { levels: SeverityLevel[]; extraColumns: string[]; page: string };
  export default ladder;
}
