// The app's keystore: accounts in IndexedDB, each with its TOTP seed and its non-extractable P-256 private key.
import type { ActivateResponse } from '../../src/device-protocol/messages.ts';

/** One activated account: a user on a Countersign server, bound to this device. */
export interface Account {
  /** `<serverUrl> <deviceId>`: unique across servers. */
  id: string;
  serverUrl: string;
  deviceId: string;
  organization: string;
  username: string;
  realName: string | null;
  totp: ActivateResponse['totp'];
  /** Non-extractable: IndexedDB's structured clone keeps the key usable but never readable. */
  privateKey: CryptoKey;
  addedAt: number;
}

export interface AccountStore {
  list(): Promise<Account[]>;
  put(account: Account): Promise<void>;
  remove(id: string): Promise<void>;
}

const DB_NAME = 'countersign-authenticator';
const STORE = 'accounts';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** The account id for a device on a server. */
export function accountId(serverUrl: string, deviceId: string): string {
  return `${serverUrl} ${deviceId}`;
}

/** Opens (creating on first use) the accounts database. */
export async function openAccountStore(factory: IDBFactory = indexedDB): Promise<AccountStore> {
  const opening = factory.open(DB_NAME, 1);
  opening.onupgradeneeded = () => {
    if (!opening.result.objectStoreNames.contains(STORE))
      opening.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  const db = await promised(opening);
  const store = (mode: IDBTransactionMode) => db.transaction(STORE, mode).objectStore(STORE);
  return {
    async list() {
      const all = (await promised(store('readonly').getAll())) as Account[];
      return all.sort((a, b) => a.addedAt - b.addedAt);
    },
    async put(account) {
      await promised(store('readwrite').put(account));
    },
    async remove(id) {
      await promised(store('readwrite').delete(id));
    },
  };
}
