import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildAsyncApiDocument, buildOpenApiDocument, gatewayPaths, type JsonSchema } from '@chatroulette/contracts';

/** One answer a test saw. */
export interface SeenResponse {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  /** Parsed JSON; the text when it is not JSON; undefined when empty. */
  body: unknown;
  /** From a gateway (the public API): its own routes are checked too, and any 2xx needs a documented route. */
  fromGateway: boolean;
}

interface Operation {
  path: string;
  responses: Record<string, JsonSchema>;
  servedByGateway: boolean;
}

const openApiId = 'https://chatroulette.invalid/openapi.json';
const asyncApiId = 'https://chatroulette.invalid/asyncapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
/** A path of the public API: the services' routes, and on a gateway its own ones too (a service's own /readyz is not the gateway's). */
const isPublicPath = (path: string, fromGateway: boolean) =>
  path.startsWith('/api/') || path.startsWith('/uploads/') || (fromGateway && Object.values(gatewayPaths).includes(path as never));

/**
 * Checks what the tests see against the two documents the gateway serves: each answer against its
 * route's documented status and schema (ajv, JSON Schema 2020-12), each server frame against its
 * AsyncAPI message (draft-07). Each check returns a problem, or null when it conforms.
 */
export function createChecker() {
  const openapi = buildOpenApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, JsonSchema> }>>; components: { responses: Record<string, JsonSchema> } };
  const asyncapi = buildAsyncApiDocument() as { components: { messages: Record<string, { name: string; payload: JsonSchema }> } };
  const rest = new Ajv2020({ strict: false, allErrors: false });
  addFormats(rest);
  rest.addSchema({ ...openapi, $id: openApiId });
  const frames = new Ajv({ strict: false });
  addFormats(frames);
  frames.addSchema({ ...asyncapi, $id: asyncApiId });

  const gatewayOwn = new Set(Object.values(gatewayPaths) as string[]);
  // Literal paths before templated ones, so /users/blocks is not taken for /users/{user_id}.
  const routes = Object.keys(openapi.paths)
    .sort((a, b) => a.split('{').length - b.split('{').length)
    .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`) }));
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ajv: Ajv | Ajv2020, ref: string) => {
    let v = compiled.get(ref);
    if (!v) compiled.set(ref, (v = ajv.compile({ $ref: ref })));
    return v;
  };
  const errorsOf = (v: ValidateFunction) => (v.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ');

  function operationOf(method: string, path: string): Operation | null {
    for (const r of routes) {
      if (!r.pattern.test(path)) continue;
      const op = openapi.paths[r.path]![method.toLowerCase()];
      if (op) return { path: r.path, responses: op.responses, servedByGateway: gatewayOwn.has(r.path) };
    }
    return null;
  }

  /** Where a documented answer's JSON schema is, following a response `$ref` to components. */
  function schemaRef(op: Operation, method: string, status: string): { ref: string | null; answer: JsonSchema } {
    const given = op.responses[status]!;
    const refName = typeof given.$ref === 'string' ? given.$ref.split('/').pop()! : null;
    const answer = refName ? openapi.components.responses[refName]! : given;
    const base = refName ? `#/${pointer('components', 'responses', refName)}` : `#/${pointer('paths', op.path, method.toLowerCase(), 'responses', status)}`;
    const content = answer.content as Record<string, { schema?: unknown }> | undefined;
    return { ref: content?.['application/json']?.schema ? `${openApiId}${base}/content/application~1json/schema` : null, answer };
  }

  const errorShape = validator(rest, `${openApiId}#/components/schemas/Error`);

  return {
    response(r: SeenResponse): string | null {
      if (r.method === 'OPTIONS' || r.status === 0) return null;
      const path = new URL(r.url).pathname;
      const what = `${r.method} ${path} -> ${r.status}`;
      const op = operationOf(r.method, path);
      if (!op || (op.servedByGateway && !r.fromGateway)) {
        if (r.status < 400) return r.fromGateway && isPublicPath(path, true) ? `${what}: no such route in the OpenAPI document` : null;
        if (!isPublicPath(path, r.fromGateway) || typeof r.body !== 'object' || r.body === null) return null;
        return errorShape(r.body) ? null : `${what}: not the documented error body: ${errorsOf(errorShape)}`;
      }
      const status = String(r.status);
      if (!op.responses[status]) return `${what}: status ${status} is not documented for ${r.method} ${op.path}`;
      const { ref, answer } = schemaRef(op, r.method, status);
      if (r.method === 'HEAD' || r.status === 304) return null;
      if (!ref) {
        const types = Object.keys((answer.content as object | undefined) ?? {});
        if (types.length === 0 && r.body !== undefined) return `${what}: a body where none is documented`;
        return null;
      }
      if (!r.contentType?.startsWith('application/json')) return `${what}: ${r.contentType ?? 'no content type'} where JSON is documented`;
      const v = validator(rest, ref);
      return v(r.body) ? null : `${what}: the body does not match ${op.path}'s ${status}: ${errorsOf(v)}`;
    },

    frame(frame: unknown): string | null {
      const type = (frame as { type?: unknown } | null)?.type;
      const key = `server.${String(type)}`;
      if (typeof type !== 'string' || !asyncapi.components.messages[key]) return `frame ${JSON.stringify(frame).slice(0, 200)}: no such server frame in the AsyncAPI document`;
      const v = validator(frames, `${asyncApiId}#/${pointer('components', 'messages', key, 'payload')}`);
      return v(frame) ? null : `frame ${type}: does not match the AsyncAPI message: ${errorsOf(v)}`;
    },
  };
}

export type Checker = ReturnType<typeof createChecker>;
