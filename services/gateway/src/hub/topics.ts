/** uWS topic names: every socket is on its user's topic, a socket opened with chat_id also on the chat's. */
export const userTopic = (userId: string) => `user:${userId}`;
export const chatTopic = (chatId: string) => `chat:${chatId}`;
