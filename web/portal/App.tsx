// The portal page: sign in, confirm with a second factor when one exists, then manage sign-in methods.
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { SiteHeader } from '../shared/SiteHeader.tsx';
import { pageTitle, useBranding } from '../shared/use-branding.ts';
import { ApiError, type Device, type DeviceList, get, post, type SessionInfo, setCsrf } from './api.ts';
import { AddAuthenticator } from './components/AddAuthenticator.tsx';
import { AddPhone } from './components/AddPhone.tsx';
import { AddSecurityKey } from './components/AddSecurityKey.tsx';
import { AddTotp } from './components/AddTotp.tsx';
import { BackupCodes } from './components/BackupCodes.tsx';
import { Home } from './components/Home.tsx';
import { SignIn } from './components/SignIn.tsx';
import { SignIns } from './components/SignIns.tsx';
import { StepUp } from './components/StepUp.tsx';

type View =
  | { name: 'home'; notice?: string }
  | { name: 'add-app'; replaces?: Device }
  | { name: 'add-totp' }
  | { name: 'add-key' }
  | { name: 'add-phone' }
  | { name: 'backup'; existing: number }
  | { name: 'activity' };

export function App() {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [view, setView] = useState<View>({ name: 'home' });
  /** The view to return to once a step-up succeeds (set when the API asks for one). */
  const [stepUpFor, setStepUpFor] = useState<View | null>(null);
  const branding = useBranding('/branding');

  const reload = useCallback(async () => {
    try {
      const info = await get<SessionInfo>('/session');
      setCsrf(info.csrf);
      setSession(info);
      document.title = pageTitle('Sign-in methods', info.organization);
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught.message : 'The portal could not load.');
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const handle = useCallback(
    (caught: unknown): string | null => {
      if (caught instanceof ApiError && caught.code === 'STEP_UP_REQUIRED') {
        setView((current) => {
          setStepUpFor(current);
          return current;
        });
        void reload();
        return null;
      }
      if (caught instanceof ApiError && caught.code === 'NOT_SIGNED_IN') {
        void reload();
        return null;
      }
      return caught instanceof Error ? caught.message : 'Something went wrong. Please try again.';
    },
    [reload],
  );

  const home = (notice?: string) => {
    setView(notice ? { name: 'home', notice } : { name: 'home' });
    void reload();
  };
  const open = (
    name: 'add-app' | 'add-totp' | 'add-key' | 'add-phone' | 'backup' | 'activity',
    list: DeviceList,
  ) => setView(name === 'backup' ? { name, existing: list.backupCodes } : ({ name } as View));

  let content: ReactNode;
  if (failure) content = <p role="alert">{failure}</p>;
  else if (!session) content = <p aria-live="polite">Loading…</p>;
  else if (!session.signedIn) content = <SignIn organization={session.organization} onDone={() => home()} />;
  else if (session.needsSecondFactor || stepUpFor) {
    content = (
      <StepUp
        methods={session.stepUpMethods ?? []}
        organization={session.organization}
        reason={session.needsSecondFactor ? 'sign-in' : 'change'}
        onSignOut={async () => {
          // Signing out always succeeds for the person: a failed call leaves nothing to keep.
          await post('/sign-out').catch(() => {});
          setStepUpFor(null);
          setView({ name: 'home' });
          void reload();
        }}
        onDone={() => {
          setView(stepUpFor ?? { name: 'home' });
          setStepUpFor(null);
          void reload();
        }}
        {...(!session.needsSecondFactor && {
          onCancel: () => {
            setStepUpFor(null);
            setView({ name: 'home' });
          },
        })}
      />
    );
  } else {
    const back = () => home();
    switch (view.name) {
      case 'home':
        content = (
          <Home
            session={session}
            handle={handle}
            notice={view.notice ?? null}
            onOpen={open}
            onReactivate={(device) => setView({ name: 'add-app', replaces: device })}
            onSignedOut={() => home()}
          />
        );
        break;
      case 'add-app':
        content = (
          <AddAuthenticator
            handle={handle}
            onBack={back}
            {...(view.replaces && { replaces: view.replaces })}
          />
        );
        break;
      case 'add-totp':
        content = <AddTotp handle={handle} onBack={back} />;
        break;
      case 'add-phone':
        content = <AddPhone handle={handle} onBack={back} />;
        break;
      case 'add-key':
        content = <AddSecurityKey handle={handle} onBack={back} />;
        break;
      case 'backup':
        content = <BackupCodes existing={view.existing} handle={handle} onBack={back} />;
        break;
      case 'activity':
        content = <SignIns handle={handle} onBack={back} />;
        break;
    }
  }

  return (
    <>
      <SiteHeader branding={branding} fallback={session?.organization ?? 'Countersign'} />
      <main id="main">{content}</main>
    </>
  );
}
