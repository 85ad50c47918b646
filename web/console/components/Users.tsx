// Users: search as you type, add a user, and open one user's detail.
import { type FormEvent, useEffect, useState } from 'react';
import { admin, type ConsoleMe, type Metadata, messageOf } from '../api.ts';
import { type DuoUser, STATUS_WORDS } from '../duo-types.ts';
import { may } from '../screens.ts';
import { ErrorText, Notice, useHeadingFocus } from './common.tsx';
import { UserDetail } from './UserDetail.tsx';

const PAGE = 25;

export function Users({ me, userId }: { me: ConsoleMe; userId: string | null }) {
  if (userId !== null) return <UserDetail me={me} userId={userId} key={userId} />;
  return <UserSearch me={me} />;
}

function UserSearch({ me }: { me: ConsoleMe }) {
  const heading = useHeadingFocus();
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [users, setUsers] = useState<DuoUser[] | null>(null);
  const [metadata, setMetadata] = useState<Metadata>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    // Wait for a pause in typing before asking the server.
    const timer = setTimeout(async () => {
      try {
        const trimmed = query.trim();
        const found = await admin<DuoUser[]>('GET', '/v1/users', {
          limit: PAGE,
          offset,
          ...(trimmed !== '' && { username_prefix: trimmed }),
        });
        if (!current) return;
        setUsers(found.response);
        setMetadata(found.metadata);
        setError(null);
      } catch (caught) {
        if (current) setError(messageOf(caught));
      }
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, offset]);

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Users
      </h1>
      <div className="field search">
        <label htmlFor="user-search">Find a user</label>
        <p className="hint" id="user-search-hint">
          Type the start of a username; the list follows as you type.
        </p>
        <input
          id="user-search"
          type="search"
          value={query}
          aria-describedby="user-search-hint"
          autoComplete="off"
          onChange={(event) => {
            setQuery(event.target.value);
            setOffset(0);
          }}
        />
      </div>
      <ErrorText message={error} />
      {users !== null && (
        <>
          <p role="status">
            {metadata.total_objects === 0
              ? 'No users match.'
              : `${metadata.total_objects ?? users.length} user(s)${query.trim() ? ' match' : ''}.`}
          </p>
          {users.length > 0 && (
            <table className="data">
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sign-in methods</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.user_id}>
                    <td>
                      <a href={`#/users/${encodeURIComponent(user.user_id)}`}>{user.username}</a>
                    </td>
                    <td>{user.realname || '—'}</td>
                    <td>{user.email || '—'}</td>
                    <td>{STATUS_WORDS[user.status]}</td>
                    <td>{user.phones.length + user.tokens.length + user.webauthncredentials.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager offset={offset} metadata={metadata} onMove={setOffset} />
        </>
      )}
      {may(me, 'write-resource') && <AddUser />}
    </>
  );
}

/** Previous and next page buttons from Duo's v1 paging metadata. */
export function Pager(props: { offset: number; metadata: Metadata; onMove: (offset: number) => void }) {
  const next = typeof props.metadata.next_offset === 'number' ? props.metadata.next_offset : null;
  const prev = props.metadata.prev_offset ?? null;
  if (next === null && prev === null) return null;
  return (
    <div className="actions pager">
      <button
        type="button"
        className="secondary"
        disabled={prev === null}
        onClick={() => props.onMove(prev ?? 0)}
      >
        Previous page
      </button>
      <button
        type="button"
        className="secondary"
        disabled={next === null}
        onClick={() => props.onMove(next ?? 0)}
      >
        Next page
      </button>
    </div>
  );
}

function AddUser() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      const created = await admin<DuoUser>('POST', '/v1/users', {
        username: String(data.get('username') ?? ''),
        realname: String(data.get('realname') ?? '') || undefined,
        email: String(data.get('email') ?? '') || undefined,
      });
      form.reset();
      setNotice(`Added ${created.response.username}.`);
      window.location.hash = `#/users/${encodeURIComponent(created.response.user_id)}`;
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <section className="card" aria-labelledby="add-user-heading">
      <h2 id="add-user-heading">Add a user</h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="new-username">Username</label>
          <input id="new-username" name="username" required autoCapitalize="none" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="new-realname">Full name (optional)</label>
          <input id="new-realname" name="realname" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="new-email">E-mail (optional)</label>
          <input id="new-email" name="email" type="email" autoComplete="off" />
        </div>
        <ErrorText message={error} />
        <Notice message={notice} />
        <div className="actions">
          <button type="submit" className="primary">
            Add user
          </button>
        </div>
      </form>
    </section>
  );
}
