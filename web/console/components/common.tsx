// Small pieces every console screen uses: an announced error, a status line, a heading focused when a view opens.
import { useEffect, useRef } from 'react';

export { ErrorText } from '../../shared/ErrorText.tsx';

/** A polite live region for what just happened ("Code issued"). */
export function Notice({ message }: { message: string | null }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}

/** A ref for a view's `<h1 tabIndex={-1}>`, focused when the view opens after the first one (not on load). */
let firstView = true;
export function useHeadingFocus() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstView) {
      firstView = false;
      return;
    }
    ref.current?.focus();
  }, []);
  return ref;
}

/** A date and time in the administrator's locale, from Unix seconds or milliseconds. */
export function when(value: number | null | undefined, unit: 's' | 'ms' = 's'): string {
  if (value === null || value === undefined) return '—';
  return new Date(unit === 's' ? value * 1000 : value).toLocaleString();
}
