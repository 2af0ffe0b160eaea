/** Limits that clients can rely on; documented in the README. */
export const limits = {
  /** Characters of a message's content. */
  maxContentLength: 4096,
  /** Characters of a media URL. */
  maxMediaUrlLength: 2048,
  /** Bytes of a REST request body. */
  maxBodyBytes: 64 * 1024,
  /** Bytes of one socket frame from a client. */
  maxSocketFrameBytes: 16 * 1024,
  /** Participants of a private chat, the creator included. */
  maxParticipants: 50,
  /** Page size of the history listing. */
  maxHistoryPage: 100,
  /** Page size of the chat list in the original product's shape (a legacy token's GET /chats?page&limit). */
  maxChatsPage: 100,
  /** Characters of a chat's name and description (the original's POST /chats). */
  maxChatName: 100,
  maxChatDescription: 500,
  /** Interests of one roulette search, and characters of each. */
  maxInterests: 10,
  maxInterestLength: 32,
  /** Characters of a report's details. */
  maxReportDetails: 1000,
  /** Bytes of one uploaded file, by its kind (media service). */
  maxImageBytes: 10 * 1024 * 1024,
  maxVideoBytes: 100 * 1024 * 1024,
  maxVoiceBytes: 25 * 1024 * 1024,
} as const;
