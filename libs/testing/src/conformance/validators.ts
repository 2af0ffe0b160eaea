import { Parser } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';

/** The OpenAPI document checked against the OpenAPI 3.1 specification's schemas: the problems, none when valid. */
export async function openApiProblems(doc: object): Promise<string[]> {
  const result = await new Validator().validate(doc as Record<string, unknown>);
  if (result.valid) return [];
  return Array.isArray(result.errors) ? result.errors.map((e) => `${e.instancePath} ${e.message}`) : [String(result.errors)];
}

/** The AsyncAPI document parsed and linted by the AsyncAPI parser: its errors and warnings, none when valid. */
export async function asyncApiProblems(doc: object): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(doc as never);
  // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
  return diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} at ${d.path.join('/')}: ${d.message}`);
}
