// Moves keyboard focus to a view's heading when it opens, so screen readers announce the new step.
import { useEffect, useRef } from 'react';

/** A ref for the view's `<h1 tabIndex={-1}>`, focused once on mount. */
export function useHeadingFocus<T extends HTMLElement = HTMLHeadingElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
