export interface ChatRecord {
  id: string;
  type: string;
  status: string;
  created_by: string | null;
  created_at: Date;
  last_seq: number;
}

/** The chat as REST answers it: the contract's fields plus `status` and `last_seq`. */
export function chatView(chat: ChatRecord, participants: { user_id: string; username: string }[]) {
  return {
    id: chat.id,
    type: chat.type,
    status: chat.status,
    created_by: chat.created_by,
    created_at: chat.created_at.toISOString(),
    last_seq: chat.last_seq,
    participants: participants.map((p) => ({ user_id: p.user_id, username: p.username })),
  };
}
