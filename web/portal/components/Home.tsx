// The portal's main page: the user's devices, ways to add one, preferences and account actions.
import { useCallback, useEffect, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { type Device, type DeviceList, get, post, type SessionInfo } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import { DeviceItem } from './DeviceItem.tsx';
import type { Handle } from './handle.ts';
import { Preferences } from './Preferences.tsx';

export type AddChoice = 'add-app' | 'add-totp' | 'add-key' | 'add-phone' | 'backup';

export function Home(props: {
  session: SessionInfo;
  handle: Handle;
  notice: string | null;
  onOpen: (view: AddChoice | 'activity', list: DeviceList) => void;
  onReactivate: (device: Device) => void;
  onSignedOut: () => void;
}) {
  const heading = useHeadingFocus();
  const [list, setList] = useState<DeviceList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(props.notice);
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  const { handle } = props;
  const enrollOnly = props.session.scope === 'enroll';

  const load = useCallback(() => {
    get<DeviceList>('/devices')
      .then(setList)
      .catch((caught) => setError(handle(caught)));
  }, [handle]);
  useEffect(load, [load]);

  const changed = (message: string) => {
    setNotice(message);
    load();
  };
  const account = async (path: string) => {
    try {
      await post(path);
      props.onSignedOut();
    } catch (caught) {
      setError(handle(caught));
    }
  };
  const name = props.session.user?.realName ?? props.session.user?.username;

  return (
    <>
      <section className="card" aria-labelledby="home-heading">
        <h1 id="home-heading" ref={heading} tabIndex={-1}>
          {enrollOnly ? 'Set up a sign-in method' : 'Your sign-in methods'}
        </h1>
        <p>
          Signed in as <strong>{name}</strong>.
        </p>
        {notice && (
          <p className="notice ok" role="status">
            {notice}
          </p>
        )}
        <ErrorText message={error} />
        {list && list.devices.length === 0 && list.backupCodes === 0 && (
          <p>You have no sign-in method yet. Add one below: the Countersign Authenticator is the easiest.</p>
        )}
        {list && list.devices.length > 0 && (
          <ul className="devices" aria-label="Your devices">
            {list.devices.map((device) => (
              <DeviceItem
                key={device.id}
                device={device}
                handle={handle}
                onChanged={changed}
                onReactivate={props.onReactivate}
                onError={setError}
              />
            ))}
          </ul>
        )}
        {list && list.backupCodes > 0 && <p>You have {list.backupCodes} unused backup codes.</p>}
        {enrollOnly &&
          props.session.returnTo &&
          list &&
          (list.devices.length > 0 || list.backupCodes > 0) && (
            <div className="actions">
              <a className="button primary" href={props.session.returnTo}>
                Continue signing in
              </a>
            </div>
          )}
      </section>

      {list && (
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Add a sign-in method</h2>
          <ul className="choices-list">
            <li>
              <button type="button" className="secondary" onClick={() => props.onOpen('add-app', list)}>
                Countersign Authenticator (push and codes)
              </button>
            </li>
            <li>
              <button type="button" className="secondary" onClick={() => props.onOpen('add-totp', list)}>
                Another authenticator app (codes)
              </button>
            </li>
            <li>
              <button type="button" className="secondary" onClick={() => props.onOpen('add-key', list)}>
                Security key or passkey
              </button>
            </li>
            <li>
              <button type="button" className="secondary" onClick={() => props.onOpen('backup', list)}>
                Backup codes to print
              </button>
            </li>
            {list.phoneEnabled && (
              <li>
                <button type="button" className="secondary" onClick={() => props.onOpen('add-phone', list)}>
                  Phone number (calls and text messages)
                </button>
              </li>
            )}
          </ul>
        </section>
      )}

      {list && !enrollOnly && (
        <Preferences
          list={list}
          handle={handle}
          onSaved={changed}
          onError={setError}
          key={JSON.stringify(list.prefs)}
        />
      )}

      {list && !enrollOnly && (
        <section className="card" aria-labelledby="account-heading">
          <h2 id="account-heading">Account</h2>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => props.onOpen('activity', list)}>
              Recent sign-ins
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmEverywhere(true)}>
              Sign out everywhere
            </button>
            <button type="button" className="secondary" onClick={() => account('/sign-out')}>
              Sign out
            </button>
          </div>
          {confirmEverywhere && (
            <fieldset className="confirm">
              <legend>Sign out of every browser, including remembered ones and this one?</legend>
              <div className="actions">
                <button type="button" className="danger" onClick={() => account('/sign-out-everywhere')}>
                  Yes, sign out everywhere
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmEverywhere(false)}>
                  Cancel
                </button>
              </div>
            </fieldset>
          )}
        </section>
      )}
    </>
  );
}
