// Worker thread: checkpoints a SQLite WAL on its own connection, so the checkpoint's fsync never blocks requests.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new DatabaseSync(path);
// Same durability as the main connection: a checkpoint syncs the WAL and then the database file.
db.exec('PRAGMA synchronous=NORMAL');
// This connection never writes rows; it must not start checkpoints of its own either.
db.exec('PRAGMA wal_autocheckpoint=0');
// PASSIVE copies what it can without waiting for, or blocking, the writer on the main thread.
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

function run(): void {
  try {
    checkpoint.get();
  } catch {
    // A busy or failed checkpoint is retried on the next tick; the main connection's autocheckpoint is the backstop.
  }
}

const timer = setInterval(run, intervalMs);
parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  run();
  db.close();
  parentPort?.postMessage('stopped');
  parentPort?.close();
});
