// A message about the last step (a wrong code, a denied push), announced to screen readers.

export function Notice({ notice }: { notice: { tone: 'error' | 'info'; text: string } | null }) {
  return (
    <div role="status" aria-live="polite" className="notice-slot">
      {notice && <p className={notice.tone === 'error' ? 'notice error' : 'notice'}>{notice.text}</p>}
    </div>
  );
}
