import type { IceServer, RtcSignalKind, ServerFrame } from '@chatroulette/client';
import { client, errorText } from './client.js';
import { openChat } from './chat.js';
import { live } from './live.js';
import { session } from './session.js';
import { Store } from './store.js';

export interface CallView {
  /** `incoming`: the partner calls, video-start answers. */
  phase: 'idle' | 'incoming' | 'calling' | 'connected';
  local: MediaStream | null;
  remote: MediaStream | null;
  error: string | null;
}

export const call = new Store<CallView>({ phase: 'idle', local: null, remote: null, error: null });

/**
 * A video call with the open chat's partner: WebRTC browser to browser, its signals (offer, answer,
 * candidates, hangup) sent as rtc_signal frames on the chat's socket. Both sides may start at once:
 * the "perfect negotiation" pattern settles it (the peer with the smaller user id yields).
 */
class Call {
  private pc: RTCPeerConnection | null = null;
  private chatId: string | null = null;
  private pendingOffer: RTCSessionDescriptionInit | null = null;
  /** Candidates that came before the remote description they belong to. */
  private early: RTCIceCandidateInit[] = [];
  private makingOffer = false;
  private polite = false;

  /** video-start: calls the partner, or answers their call. */
  async start(): Promise<void> {
    const chat = openChat.value;
    if (!chat?.partner || this.pc) return;
    this.chatId = chat.chatId;
    this.polite = (session.value.me?.id ?? '') < chat.partner.id;
    set({ phase: 'calling', error: null });
    try {
      const pc = await this.connect();
      const offer = this.pendingOffer;
      this.pendingOffer = null;
      if (offer) await this.onDescription(pc, offer);
    } catch (e) {
      set({ error: errorText(e) });
      this.end(true);
    }
  }

  /** video-hangup. */
  hangup(): void {
    if (call.value.phase === 'idle') return;
    this.end(true);
  }

  onChatShown(chatId: string | null): void {
    if (this.chatId !== null && chatId !== this.chatId) {
      this.hangup();
      this.chatId = null;
    }
  }

  private async connect(): Promise<RTCPeerConnection> {
    const [{ ice_servers }, local] = await Promise.all([client.rtc.iceServers(), camera()]);
    const pc = new RTCPeerConnection({ iceServers: ice_servers.map(toRtc) });
    this.pc = pc;
    const remote = new MediaStream();
    set({ local, remote });
    if (local) for (const track of local.getTracks()) pc.addTrack(track, local);
    else for (const kind of ['audio', 'video']) pc.addTransceiver(kind, { direction: 'recvonly' });
    pc.ontrack = ({ track }) => {
      remote.addTrack(track);
      set({ remote: new MediaStream(remote.getTracks()) });
    };
    pc.onicecandidate = ({ candidate }) => candidate && this.signal('candidate', candidate.toJSON());
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') set({ phase: 'connected' });
      if (pc.connectionState === 'failed') {
        set({ error: 'The call could not connect.' });
        this.end(true);
      }
    };
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.signal('offer', pc.localDescription?.toJSON());
      } catch (e) {
        set({ error: errorText(e) });
      } finally {
        this.makingOffer = false;
      }
    };
    return pc;
  }

  /** A signal from the partner on the open chat. */
  async onSignal(chatId: string, kind: RtcSignalKind, data: unknown): Promise<void> {
    if (kind === 'hangup') return this.chatId === chatId ? this.end(false) : undefined;
    const pc = this.pc;
    if (!pc) {
      // Not in a call: an offer rings; candidates wait for the answer.
      if (kind === 'offer') {
        this.chatId = chatId;
        this.pendingOffer = data as RTCSessionDescriptionInit;
        this.early = [];
        set({ phase: 'incoming', error: null });
      } else if (kind === 'candidate' && this.chatId === chatId) this.early.push(data as RTCIceCandidateInit);
      return;
    }
    if (this.chatId !== chatId) return;
    try {
      if (kind === 'candidate') return void (await this.addCandidate(pc, data as RTCIceCandidateInit));
      await this.onDescription(pc, data as RTCSessionDescriptionInit);
    } catch (e) {
      set({ error: errorText(e) });
    }
  }

  private async onDescription(pc: RTCPeerConnection, description: RTCSessionDescriptionInit): Promise<void> {
    const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
    // Both offered at once: the impolite side keeps its own offer, the polite one takes the other's.
    if (collision && !this.polite) return;
    await pc.setRemoteDescription(description);
    for (const c of this.early.splice(0)) await this.addCandidate(pc, c);
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      this.signal('answer', pc.localDescription?.toJSON());
    }
  }

  private async addCandidate(pc: RTCPeerConnection, candidate: RTCIceCandidateInit): Promise<void> {
    if (!pc.remoteDescription) return void this.early.push(candidate);
    await pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private signal(kind: RtcSignalKind, data: unknown): void {
    const socket = live.current;
    if (socket?.chatId === this.chatId) socket.rtcSignal(kind, data ?? null);
  }

  private end(tellPartner: boolean): void {
    if (tellPartner && (this.pc || call.value.phase === 'incoming')) this.signal('hangup', { reason: 'hangup' });
    this.pc?.close();
    this.pc = null;
    this.pendingOffer = null;
    this.early = [];
    for (const track of call.value.local?.getTracks() ?? []) track.stop();
    set({ phase: 'idle', local: null, remote: null });
  }
}

const set = (fields: Partial<CallView>) => call.update((c) => ({ ...c, ...fields }));

function toRtc(server: IceServer): RTCIceServer {
  return { urls: server.urls, ...(server.username ? { username: server.username } : {}), ...(server.credential ? { credential: server.credential } : {}) };
}

/** The camera and microphone; without them (none, or refused) the call still receives. */
async function camera(): Promise<MediaStream | null> {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: true });
  } catch {
    set({ error: 'No camera or microphone: the call only receives.' });
    return null;
  }
}

export const videoCall = new Call();

live.listen({
  frame: (frame: ServerFrame) => {
    if (frame.type === 'rtc_signal') void videoCall.onSignal(frame.chat_id, frame.payload.kind, frame.payload.data);
  },
});

// A call belongs to the chat on screen: leaving it hangs up.
openChat.subscribe((chat) => videoCall.onChatShown(chat?.chatId ?? null));
