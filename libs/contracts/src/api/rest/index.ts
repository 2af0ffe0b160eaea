import { authRoutes } from './auth.js';
import { gatewayRoutes } from './gateway.js';
import { mediaRoutes } from './media.js';
import { messagesRoutes } from './messages.js';
import { rouletteRoutes } from './roulette.js';
import type { RestRoute } from './route.js';

/**
 * Every REST route the backend serves: the one list the OpenAPI document is built from. A new route
 * is one entry in the file of the service that owns its prefix (see libs/contracts/README.md).
 */
export const restCatalogue: readonly RestRoute[] = [...authRoutes, ...messagesRoutes, ...rouletteRoutes, ...mediaRoutes, ...gatewayRoutes];

export { restTags, type RestRoute, type RestTag } from './route.js';
