/**
 * The anchor of a page's folder on the /runbooks/ index: `/services/api/x/` →
 * `services-api` (`top` for a page at the root). The index names its sections with it,
 * and each page's sidebar links its "All N in …" entry to it.
 */
export const folderAnchor = (pagePath: string) => pagePath.replace(/^\/|\/$/g, '').split('/').slice(0, -1).join('-').toLowerCase() || 'top';
