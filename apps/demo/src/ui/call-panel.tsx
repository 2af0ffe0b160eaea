import { useEffect, useRef } from 'preact/hooks';
import { call, videoCall } from '../call.js';
import { useStore } from '../store.js';

/** The two videos of a call (the own one small, muted) and the hang-up button. */
export function CallPanel() {
  const { phase, local, remote } = useStore(call);
  if (phase === 'idle') return null;
  return (
    <div class={`call call-${phase}`}>
      {phase === 'incoming' ? (
        <p class="ringing">Incoming video call. Press Answer to join.</p>
      ) : (
        <div class="videos">
          <Video testId="video-remote" stream={remote} muted={false} />
          <Video testId="video-local" stream={local} muted />
        </div>
      )}
      <p class="call-state muted">{phase === 'connected' ? 'In a call' : phase === 'calling' ? 'Connecting…' : ''}</p>
      <button type="button" class="danger" data-testid="video-hangup" onClick={() => videoCall.hangup()}>
        {phase === 'incoming' ? 'Decline' : 'Hang up'}
      </button>
    </div>
  );
}

function Video({ testId, stream, muted }: { testId: string; stream: MediaStream | null; muted: boolean }) {
  const el = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (el.current && el.current.srcObject !== stream) el.current.srcObject = stream;
  }, [stream]);
  return <video ref={el} class={testId} data-testid={testId} autoplay playsInline muted={muted} />;
}
