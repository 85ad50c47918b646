// The "Add account" form: paste an activation link or code@server text.
import { type FormEvent, useId, useState } from 'react';

export interface AddAccountFormProps {
  /** Activates; rejects with an Error whose message is shown. */
  onAdd(text: string): Promise<void>;
  busy: boolean;
}

/** A labelled text field and a button; the error is tied to the field. */
export function AddAccountForm({ onAdd, busy }: AddAccountFormProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      await onAdd(text);
      setText('');
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <form
      className="card add-account"
      onSubmit={(event) => void submit(event)}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`}>Add account</h2>
      <div className="field">
        <label htmlFor={`${id}-text`}>Activation link or code</label>
        <p className="hint" id={`${id}-hint`}>
          Scan the QR code with your camera, or paste the link (or code@server) you were given.
        </p>
        <input
          id={`${id}-text`}
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={text}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          onChange={(event) => setText(event.target.value)}
        />
        {error && (
          <p id={`${id}-error`} className="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add account'}
        </button>
      </div>
    </form>
  );
}
