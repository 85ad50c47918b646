// Starts the Authenticator: opens the account store, renders the app, registers the service worker.
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { openAccountStore } from './accounts-db.ts';
import '../shared/base.css';
import './styles.css';

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    const store = await openAccountStore();
    root.render(<App store={store} />);
  } catch (error) {
    root.render(
      <main>
        <h1>Countersign Authenticator</h1>
        <p role="alert">
          This browser cannot store accounts (private mode or storage turned off): {(error as Error).message}
        </p>
      </main>,
    );
  }
  // Scope /app/: the worker keeps the app shell for offline passcodes and shows push notifications.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {});
  }
}

void start();
