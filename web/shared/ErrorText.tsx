// A message that screen readers announce as soon as it appears.

/** Shows `message` as an alert, or nothing. */
export function ErrorText({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null;
  return (
    <p className="error" role="alert" id={id}>
      {message}
    </p>
  );
}
