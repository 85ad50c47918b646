// The console: sign-in, then the screens the administrator's role may use, chosen by the address's hash.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, auth, type ConsoleMe, type SessionInfo, setCsrf, whenSignedOut } from './api.ts';
import { Administrators } from './components/Administrators.tsx';
import { Applications } from './components/Applications.tsx';
import { ErrorText } from './components/common.tsx';
import { Dashboard } from './components/Dashboard.tsx';
import { Logs } from './components/Logs.tsx';
import { Rollout } from './components/Rollout.tsx';
import { SignIn } from './components/SignIn.tsx';
import { StepUp } from './components/StepUp.tsx';
import { TokenImport } from './components/TokenImport.tsx';
import { Users } from './components/Users.tsx';
import { parseHash, ROLE_NAMES, SCREENS, type ScreenId } from './screens.ts';

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'sign-in'; organization: string }
  | { kind: 'no-factor'; organization: string }
  | { kind: 'step-up'; session: SessionInfo }
  | { kind: 'ready'; me: ConsoleMe };

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async () => {
    try {
      const session = await auth<SessionInfo>('GET', '/session');
      setCsrf(session.csrf);
      if (!session.signedIn) return setState({ kind: 'sign-in', organization: session.organization });
      if (!session.hasFactor) return setState({ kind: 'no-factor', organization: session.organization });
      if (session.needsSecondFactor) return setState({ kind: 'step-up', session });
      setState({ kind: 'ready', me: await auth<ConsoleMe>('GET', '/me') });
    } catch (caught) {
      setState({
        kind: 'failed',
        message: caught instanceof ApiError ? caught.message : 'The console could not be loaded.',
      });
    }
  }, []);

  useEffect(() => {
    whenSignedOut(() => void load());
    void load();
  }, [load]);

  const signOut = useCallback(async () => {
    await auth('POST', '/sign-out').catch(() => undefined);
    window.location.hash = '';
    await load();
  }, [load]);

  useEffect(() => {
    const organization = state.kind === 'ready' ? state.me.organization : null;
    document.title = organization ? `Console — ${organization}` : 'Console';
  }, [state]);

  switch (state.kind) {
    case 'loading':
      return <p className="loading">Loading…</p>;
    case 'failed':
      return (
        <main className="narrow">
          <h1>Console</h1>
          <ErrorText message={state.message} />
        </main>
      );
    case 'sign-in':
      return <SignIn organization={state.organization} onDone={load} />;
    case 'no-factor':
      return (
        <main className="narrow">
          <section className="card">
            <h1>Set up a sign-in method first</h1>
            <p>
              The console asks for a second sign-in method every time, and your account has none yet. Add one
              in the <a href="/portal/">self-service portal</a>, then come back.
            </p>
            <div className="actions">
              <button type="button" className="secondary" onClick={signOut}>
                Sign out
              </button>
            </div>
          </section>
        </main>
      );
    case 'step-up':
      return <StepUp methods={state.session.stepUpMethods ?? []} onDone={load} onSignOut={signOut} />;
    case 'ready':
      return <Console me={state.me} onSignOut={signOut} />;
  }
}

function Console({ me, onSignOut }: { me: ConsoleMe; onSignOut: () => void }) {
  const hash = useHash();
  const visible = SCREENS.filter((screen) => screen.visible(me));
  const parsed = parseHash(hash);
  const screen: ScreenId = visible.some((s) => s.id === parsed.screen) ? parsed.screen! : visible[0]!.id;
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="console-header">
        <div className="console-brand">
          <span className="console-org">{me.organization}</span>
          <span className="console-title">Console</span>
        </div>
        <nav aria-label="Console">
          <ul>
            {visible.map((s) => (
              <li key={s.id}>
                <a href={`#/${s.id}`} aria-current={s.id === screen ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="console-who">
          <span>
            {me.realName ?? me.username} · {ROLE_NAMES[me.role]}
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" className="console-main">
        {screen === 'dashboard' && <Dashboard />}
        {screen === 'users' && <Users me={me} userId={parsed.screen === 'users' ? parsed.arg : null} />}
        {screen === 'applications' && <Applications me={me} />}
        {screen === 'administrators' && <Administrators />}
        {screen === 'logs' && <Logs />}
        {screen === 'rollout' && <Rollout me={me} />}
        {screen === 'tokens' && <TokenImport />}
      </main>
    </>
  );
}
