import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildAsyncApiDocument, buildOpenApiDocument, clientFrameCatalogue, natsCatalogue, restCatalogue, serverFrameCatalogue } from '@chatroulette/contracts';
import { asyncApiProblems, openApiProblems } from './validators.js';

const openapi = buildOpenApiDocument() as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { examples?: unknown[] }> } };
const asyncapi = buildAsyncApiDocument() as { channels: Record<string, unknown>; components: { messages: Record<string, unknown> } };

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    expect(await openApiProblems(openapi)).toEqual([]);
  });

  it('has one operation per catalogue entry', () => {
    const operations = Object.values(openapi.paths).flatMap((p) => Object.keys(p));
    expect(operations).toHaveLength(restCatalogue.length);
    for (const r of restCatalogue) expect(openapi.paths[r.path]?.[r.method], `${r.method} ${r.path}`).toBeDefined();
  });

  it('has body examples its own zod schemas accept', () => {
    const withExamples = restCatalogue.filter((r) => r.body?.example !== undefined);
    expect(withExamples.length).toBeGreaterThan(5);
    for (const r of withExamples) expect(r.body!.schema.safeParse(r.body!.example).success, `${r.method} ${r.path}`).toBe(true);
  });

  it('has schema examples that match their schemas', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ ...openapi, $id: 'https://chatroulette.invalid/openapi.json' });
    const examples = Object.entries(openapi.components.schemas).flatMap(([name, s]) => (s.examples ?? []).map((e) => [name, e] as const));
    expect(examples.length).toBeGreaterThan(3);
    for (const [name, example] of examples) {
      const valid = ajv.validate({ $ref: `https://chatroulette.invalid/openapi.json#/components/schemas/${name}` }, example);
      expect(valid, `${name}: ${ajv.errorsText()}`).toBe(true);
    }
  });
});

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3.0 with no error or warning (@asyncapi/parser)', async () => {
    expect(await asyncApiProblems(asyncapi)).toEqual([]);
  });

  it('has every frame of the socket catalogue and every NATS subject', () => {
    for (const f of serverFrameCatalogue) expect(asyncapi.components.messages[`server.${f.type}`], f.type).toBeDefined();
    for (const f of clientFrameCatalogue) expect(asyncapi.components.messages[`client.${f.type}`], f.type).toBeDefined();
    for (const c of natsCatalogue) expect(asyncapi.channels[`nats.${c.name}`], c.name).toBeDefined();
  });
});

describe('a validator that can fail', () => {
  it('refuses a broken OpenAPI document and a broken AsyncAPI document', async () => {
    expect(await openApiProblems({ ...openapi, openapi: '3.1.0', info: undefined })).not.toEqual([]);
    expect(await asyncApiProblems({ ...asyncapi, operations: { broken: { action: 'shout' } } })).not.toEqual([]);
  });
});
