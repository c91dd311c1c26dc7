/**
 * The anchor of a page's folder on the /runbooks/ index: its folder path, `/services/api/x/`
 * → `services/api` (`top` for a page at the root). Slashes keep two folders apart that
 * hyphens would merge (`on-call/x` and `on/call-x`). The index names its sections with
 * it, and each page's sidebar links its "All N in …" entry to it.
 */
export const folderAnchor = (pagePath: string) =>
  pagePath
    .replace(/^\/|\/$/g, '')
    .split('/')
    .slice(0, -1)
    .join('/') || 'top';
