export { createClient, type Client, type ClientOptions } from './client.js';
export { ApiError, ConnectionError, isTransient, type ApiErrorCode } from './errors.js';
export type { TokenProvider, TokenReason } from './session.js';
export { ChatSocket, type SocketOptions } from './socket/chat-socket.js';
export type { Closed, SocketEvents, SocketState } from './socket/events.js';
export type { StopCause } from './socket/close-policy.js';
export type { BackoffOptions } from './socket/backoff.js';
export type { WebSocketClass } from './socket/websocket.js';
export { closeCodes } from './contract.js';
export type {
  Chat,
  ChatEventFrame,
  ChatEventType,
  ErrorFrame,
  IceServer,
  IceServersAnswer,
  LiveFrame,
  LiveFrameType,
  MessageObject,
  OwnProfile,
  PublicProfile,
  PublicUser,
  ReadState,
  RouletteState,
  RouletteStatus,
  RtcSignalKind,
  SendMessageInput,
  ServerFrame,
  UploadAnswer,
  UserEventFrame,
} from '@chatroulette/contracts';
