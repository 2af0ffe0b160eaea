import { describe, expect, it } from 'vitest';
import { socketUrl } from './socket-client.js';

describe('socketUrl', () => {
  it("turns a gateway's base URL into its socket URL with the query", () => {
    expect(socketUrl('http://127.0.0.1:4000', { token: 't', chat_id: 'c', since: 0, skip: undefined })).toBe('ws://127.0.0.1:4000/api/v1/ws?token=t&chat_id=c&since=0');
  });

  it('leaves a hand-written socket URL as it is when there is nothing to add', () => {
    expect(socketUrl('ws://127.0.0.1:4000/api/v1/ws?chat_id=a&chat_id=')).toBe('ws://127.0.0.1:4000/api/v1/ws?chat_id=a&chat_id=');
  });
});
