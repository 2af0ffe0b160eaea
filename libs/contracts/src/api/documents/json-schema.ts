import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schemas of zod schemas (zod's own z.toJSONSchema) for one document: a schema named with
 * `.meta({ id })` becomes one entry of `components`, referenced as `<refBase><id>` wherever it is
 * used; the rest is inlined. A request body is converted as zod reads it (`input`: defaults make a
 * field optional), an answer as the service writes it (`output`: every object closed, so an
 * undocumented field fails the conformance tests). When the two differ, the input one is `<id>Input`.
 */
export function createSchemaComponents(target: 'draft-2020-12' | 'draft-7', refBase: string) {
  const components: Record<string, JsonSchema> = {};

  /** Where `json` goes under `name`: that name when free or equal, else `<name>Input`. */
  function place(name: string, json: JsonSchema, io: 'input' | 'output'): string {
    const text = JSON.stringify(json);
    const candidates = io === 'output' ? [name, `${name}Output`] : [name, `${name}Input`];
    for (const candidate of candidates) {
      const taken = components[candidate];
      if (taken === undefined) components[candidate] = json;
      if (taken === undefined || JSON.stringify(taken) === text) return candidate;
    }
    throw new Error(`two different schemas are both named ${name}`);
  }

  return {
    components,
    /** The schema to put in the document: a `$ref` to its component when it is named, else inline. */
    schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
      const json = z.toJSONSchema(schema, {
        target,
        io,
        unrepresentable: 'any',
        // zod copies the id into the schema; the component's name says it.
        override: (ctx) => void delete (ctx.jsonSchema as JsonSchema).id,
      }) as JsonSchema;
      delete json.$schema;
      const defs = (json.$defs ?? json.definitions ?? {}) as Record<string, JsonSchema>;
      delete json.$defs;
      delete json.definitions;
      // Each def is placed after the defs it refers to, so its refs name where those went.
      const names = new Map<string, string>();
      const resolve = (name: string) => {
        if (names.has(name) || !defs[name]) return;
        names.set(name, name);
        for (const ref of localRefs(defs[name])) resolve(ref);
        names.set(name, place(name, rewriteRefs(defs[name], names, refBase), io));
      };
      for (const name of Object.keys(defs)) resolve(name);
      const top = rewriteRefs(json, names, refBase);
      const id = z.globalRegistry.get(schema)?.id;
      return id ? { $ref: `${refBase}${place(id, top, io)}` } : top;
    },
  };
}

/** zod's local refs (`#/$defs/X`, `#/definitions/X`) pointed at the document's components. */
function rewriteRefs(node: JsonSchema, names: Map<string, string>, refBase: string): JsonSchema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(value)) {
      const local = k === '$ref' && typeof v === 'string' ? /^#\/(?:\$defs|definitions)\/(.+)$/.exec(v) : null;
      out[k] = local ? `${refBase}${names.get(local[1]!) ?? local[1]}` : walk(v);
    }
    return out;
  };
  return walk(node) as JsonSchema;
}

function localRefs(node: unknown): string[] {
  const text = JSON.stringify(node);
  return [...text.matchAll(/"\$ref":"#\/(?:\$defs|definitions)\/([^"]+)"/g)].map((m) => m[1]!);
}
