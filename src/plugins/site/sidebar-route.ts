import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { trimSidebar } from './sidebar.ts';

/**
 * Each page carries the sidebar it needs, not the whole site's: the groups on the way
 * to the page open, its nearest neighbours, every other group as one link. A page's
 * HTML then stays the same size at 100 runbooks or 10,000 (BENCHMARKS.md); everything
 * else is one quick-jump away, or on the /runbooks/ index.
 */
export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  route.sidebar = trimSidebar(route.sidebar, `${import.meta.env.BASE_URL.replace(/\/$/, '')}/runbooks/`);
});
