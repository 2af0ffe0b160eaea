/** A chat the poster sends to, with the token of the participant who sends. */
export interface SenderChat {
  id: string;
  token: string;
}

/**
 * What answered one message: `status` is the HTTP status, `ack`, an error frame's status, or the
 * connection error; `ok` when the message was stored; `startUs` the send time it carried.
 */
export type SenderAnswer = (status: string, ok: boolean, startUs: number) => void;

/** One way of sending a chat message: REST over raw HTTP, or a frame over the sender's socket. */
export interface Sender {
  send(chat: number, startUs: number): void;
  close(): void;
}
