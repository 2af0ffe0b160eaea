import type { Express, Request, RequestHandler } from 'express';

/** The `route` label of a request no route answers (404s, and refusals before any route matched). */
export const UNMATCHED = 'unmatched';

const PATTERN = Symbol('routePattern');
type Tracked = Request & { [PATTERN]?: string };

/**
 * Remembers the pattern of the route that matches (`req.baseUrl + req.route.path`, e.g.
 * `/api/v1/chats/:chat_id/messages`) at the moment the router sets `req.route`: by the time the
 * answer is finished a router has put its `baseUrl` back, so reading both then would lose the prefix.
 */
export const trackRoute: RequestHandler = (req, _res, next) => {
  let route: Request['route'];
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: Request['route']) {
      route = value;
      if (value) (req as Tracked)[PATTERN] = `${req.baseUrl}${patternOf(value.path)}`;
    },
  });
  next();
};

/**
 * The route pattern of a request, never its raw path (label values stay few). A request refused
 * before its route ran (a missing token checked by a router's middleware, a bad JSON body) is
 * labelled with the route it would have reached; one that matches no route is `unmatched`.
 */
export function routeLabel(app: Express, req: Request): string {
  const tracked = (req as Tracked)[PATTERN];
  if (tracked !== undefined) return tracked;
  try {
    return findRoute(stackOf(app.router), req.method, req.originalUrl.split('?')[0] ?? '/') ?? UNMATCHED;
  } catch {
    return UNMATCHED;
  }
}

/** The parts of express's router (the `router` package) that matching needs. */
interface Layer {
  route?: { path: unknown; _handlesMethod(method: string): boolean };
  handle?: { stack?: Layer[] };
  match(path: string): false | { path: string; pattern?: unknown };
}

function stackOf(router: unknown): Layer[] {
  const stack = (router as { stack?: Layer[] } | undefined)?.stack;
  return Array.isArray(stack) ? stack : [];
}

/** Walks the routers as express would, without running anything: the first route that takes `method` at `path`. */
function findRoute(stack: Layer[], method: string, path: string): string | undefined {
  for (const layer of stack) {
    const m = layer.match(path);
    if (!m) continue;
    if (layer.route) {
      if (layer.route._handlesMethod(method)) return patternOf(layer.route.path);
      continue;
    }
    const inner = layer.handle?.stack;
    if (!Array.isArray(inner)) continue;
    const found = findRoute(inner, method, path.slice(m.path.length) || '/');
    if (found !== undefined) return `${typeof m.pattern === 'string' ? m.pattern : m.path}${found}`;
  }
  return undefined;
}

function patternOf(path: unknown): string {
  return typeof path === 'string' ? path : String(path);
}
