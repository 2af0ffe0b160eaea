import { useState } from 'preact/hooks';
import { session, signIn } from '../session.js';
import { useStore } from '../store.js';

export function AuthForm() {
  const { busy, error } = useStore(session);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const go = (kind: 'register' | 'login') => void signIn(kind, username.trim(), password);

  return (
    <form
      class="card auth"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        go('login');
      }}
    >
      <h2>Welcome</h2>
      <p class="muted">Register with a name and a password, or log in.</p>
      <label>
        Username
        <input data-testid="auth-username" autocomplete="username" required minLength={3} maxLength={32} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
      </label>
      <label>
        Password
        <input data-testid="auth-password" type="password" autocomplete="current-password" required minLength={8} maxLength={128} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      {error && (
        <p class="error" role="alert" data-testid="auth-error">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" data-testid="auth-login" disabled={busy}>
          Log in
        </button>
        <button type="button" data-testid="auth-register" disabled={busy} onClick={() => go('register')}>
          Register
        </button>
      </div>
      <p class="hint muted">3 to 32 letters, digits, _ . -; a password of at least 8 characters.</p>
    </form>
  );
}
