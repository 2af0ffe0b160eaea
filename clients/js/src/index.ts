export { createClient, type Client, type ClientOptions } from './client.js';
export { ApiError, ConnectionError, isTransient, type ApiErrorCode } from './errors.js';
export type { TokenProvider, TokenReason } from './session.js';
export { ChatSocket, type SocketOptions } from './socket/chat-socket.js';
export type { Closed, SocketEvents, SocketState } from './socket/events.js';
export type { StopCause } from './socket/close-policy.js';
export type { BackoffOptions } from './socket/backoff.js';
export type { WebSocketClass } from './socket/websocket.js';
export { closeCodes, reportReasons } from './contract.js';
export type {
  BlockAnswer,
  BlockedUser,
  BlocksAnswer,
  Chat,
  ChatEventFrame,
  ChatEventType,
  ErrorFrame,
  IceServer,
  IceServersAnswer,
  LiveFrame,
  LiveFrameType,
  MessageObject,
  ModerationReport,
  OwnProfile,
  PublicProfile,
  PublicUser,
  ReadState,
  ReportAnswer,
  ReportInput,
  ReportReason,
  ReportsAnswer,
  RouletteState,
  RouletteStatus,
  RtcSignalKind,
  SendMessageInput,
  ServerFrame,
  SuspensionAnswer,
  UploadAnswer,
  UserEventFrame,
} from '@chatroulette/contracts';
