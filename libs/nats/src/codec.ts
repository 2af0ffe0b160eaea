const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
export const encodeText = (value: string): Uint8Array => encoder.encode(value);

export function decodeJson(data: Uint8Array): unknown {
  return data.length === 0 ? {} : JSON.parse(decoder.decode(data));
}
