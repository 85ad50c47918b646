// Starts the activation page with the code from the fragment (`/activate/#code=<code>`).
import { createRoot } from 'react-dom/client';
import { ActivatePage } from './ActivatePage.tsx';
import { pollActivation } from './poll-activation.ts';
import '../shared/base.css';
import './styles.css';

const code = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('code') ?? '';
// The page lives at <server>/activate/: the server's base URL is one level up (keeps any path prefix).
const serverUrl = new URL('../', window.location.href).href.replace(/\/$/, '');
const statusUrl = new URL('status', window.location.href.split('#')[0]).href;

createRoot(document.getElementById('root')!).render(
  <ActivatePage
    code={code}
    serverUrl={serverUrl}
    poll={(onStatus) => pollActivation(statusUrl, code, onStatus, { intervalMs: 2000 })}
  />,
);
