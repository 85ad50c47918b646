// The stylesheet of server-rendered pages: web/shared/base.css (the design system the React pages import) plus the
// few rules only these pages need, so both kinds of page look the same.
import { readFile } from 'node:fs/promises';

const BASE_CSS = new URL('../../../web/shared/base.css', import.meta.url);

/** Rules of server pages beyond the design system: a centred card for the message. */
const PAGE_RULES = `
/* Server-rendered pages: one card in the middle of the page, the header's content lined up with it. */
:root {
  --page-width: 36rem;
}

main.page {
  max-width: var(--page-width);
  margin: var(--space-6) auto;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius-lg);
  padding: var(--space-5);
}

main.page > h1:first-child {
  margin-top: 0;
}

main.page .error {
  padding: var(--space-2) var(--space-3);
  border-left: 4px solid var(--danger);
  background: var(--danger-surface);
  color: var(--text);
}
`;

/** Reads the stylesheet (once per `load` holder: the server keeps one). */
export function pageStyle(): () => Promise<string> {
  let text: Promise<string> | undefined;
  return () => {
    text ??= readFile(BASE_CSS, 'utf8').then((base) => base + PAGE_RULES);
    return text;
  };
}
