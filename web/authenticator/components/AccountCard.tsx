// One account: its organisation, username and server, and its current offline passcode with a countdown.
import { useEffect, useId, useState } from 'react';
import { currentPasscode, secondsLeft } from '../../../src/device-protocol/passcode.ts';
import type { Account } from '../accounts-db.ts';

/** Groups a code for reading aloud and copying by eye: "123 456". */
function grouped(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** The card for one account; `now` ticks every second. */
export function AccountCard({ account, now }: { account: Account; now: number }) {
  const titleId = useId();
  const { secret, digits, period, algorithm } = account.totp;
  const step = Math.floor(now / 1000 / period);
  const [code, setCode] = useState('');
  useEffect(() => {
    let current = true;
    // TOTP (RFC 6238) from the stored seed: no network needed.
    currentPasscode(secret, step * period * 1000, { digits, period, algorithm }).then(
      (value) => {
        if (current) setCode(value);
      },
      () => {
        if (current) setCode('');
      },
    );
    return () => {
      current = false;
    };
  }, [secret, digits, period, algorithm, step]);
  const left = secondsLeft(now, period);
  const host = new URL(account.serverUrl).host;
  return (
    <article className="card account" aria-labelledby={titleId} data-account={account.username}>
      <h3 id={titleId} className="account-title">
        <span className="organization">{account.organization}</span>
        <span className="username">
          {account.realName ? `${account.realName} (${account.username})` : account.username}
        </span>
      </h3>
      <p className="server">{host}</p>
      <div className="passcode-row">
        <p className="passcode-label">Passcode</p>
        <p className="passcode" data-passcode={code}>
          {code ? grouped(code) : '…'}
        </p>
        <p className="countdown">
          Changes in {left} s
          <span className="countdown-bar" aria-hidden="true">
            <span style={{ width: `${(left / period) * 100}%` }} />
          </span>
        </p>
      </div>
    </article>
  );
}
