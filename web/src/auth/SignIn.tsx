import { useState } from 'preact/hooks';
import { ErrorText } from '../components/Alert';

export function SignIn(props: { error: string | null; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <main class="page sign-in">
      <h1>Sign in</h1>
      <p>
        Paste an API token of this workspace. The demo prints a link that signs you in as its admin; an admin creates
        tokens for others with <code>POST /api/v1/users</code>.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim() !== '') props.onToken(value.trim());
        }}
      >
        <label for="api-token">API token</label>
        <input
          id="api-token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? 'api-token-error' : undefined}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        {props.error && <ErrorText id="api-token-error">{props.error}</ErrorText>}
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
