// A step that is only words (and maybe one action): set-up needed, access refused, redirecting, errors.
import { useEffect, useRef } from 'react';

interface MessageStepProps {
  title: string;
  text: string;
  live?: boolean;
  action?: { label: string; onClick: () => void };
}

export function MessageStep({ title, text, live, action }: MessageStepProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p aria-live={live ? 'polite' : undefined}>{text}</p>
      {action && (
        <div className="actions">
          <button type="button" className="primary" onClick={action.onClick}>
            {action.label}
          </button>
        </div>
      )}
    </>
  );
}
