// Unit tests for recognising constraint violations from SQLite and PostgreSQL errors.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { it } from 'node:test';
import { CountersignError, isCountersignError } from '../core/errors.ts';
import { asStoreError, concerns, constraintViolation, isConnectionFailure } from './db-errors.ts';

function sqliteError(statement: string): unknown {
  const db = new DatabaseSync(':memory:');
  db.exec('PRAGMA foreign_keys=ON');
  db.exec('CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT UNIQUE)');
  db.exec('CREATE TABLE devices (id TEXT PRIMARY KEY, user_id TEXT REFERENCES users(id))');
  db.exec("INSERT INTO users VALUES ('u1', 'ada')");
  try {
    db.exec(statement);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
}

it('recognises SQLite unique, primary key and foreign key violations', () => {
  const unique = constraintViolation(sqliteError("INSERT INTO users VALUES ('u2', 'ada')"));
  assert.equal(unique?.kind, 'unique');
  assert.ok(unique && concerns(unique, 'users', 'name'));
  assert.ok(unique && !concerns(unique, 'users', 'id'));
  const primary = constraintViolation(sqliteError("INSERT INTO users VALUES ('u1', 'bob')"));
  assert.ok(primary?.kind === 'unique' && concerns(primary, 'users', 'id'));
  const foreign = constraintViolation(sqliteError("INSERT INTO devices VALUES ('d1', 'nobody')"));
  assert.equal(foreign?.kind, 'foreign_key');
  assert.equal(constraintViolation(sqliteError('SELECT * FROM missing')), null);
});

it('recognises PostgreSQL violations by SQLSTATE and constraint name', () => {
  const unique = constraintViolation({
    code: '23505',
    constraint: 'applications_name_unique',
    message: 'dup',
  });
  assert.deepEqual(unique, { kind: 'unique', target: 'applications_name_unique' });
  assert.ok(unique && concerns(unique, 'applications', 'name'));
  assert.ok(unique && !concerns(unique, 'applications', 'ikey'));
  assert.equal(constraintViolation({ code: '23503', constraint: 'x' })?.kind, 'foreign_key');
  assert.equal(constraintViolation({ code: '42P01' }), null);
  assert.equal(constraintViolation(new Error('plain')), null);
  assert.equal(constraintViolation('text'), null);
});

it('recognises lost connections on both databases, and nothing else', () => {
  assert.equal(isConnectionFailure(new CountersignError('STORE_UNAVAILABLE')), true);
  assert.equal(isConnectionFailure(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })), true);
  assert.equal(isConnectionFailure(Object.assign(new Error('admin shutdown'), { code: '57P01' })), true);
  assert.equal(isConnectionFailure(new Error('driver has already been destroyed')), true);
  assert.equal(isConnectionFailure(new Error('wrapped', { cause: { code: '08006' } })), true);
  const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
  assert.equal(isConnectionFailure(new AggregateError([refused, refused])), true);
  assert.equal(isConnectionFailure({ code: 'ERR_SQLITE_ERROR', errcode: 5 }), true, 'SQLITE_BUSY');
  assert.equal(isConnectionFailure({ code: 'ERR_SQLITE_ERROR', errcode: 2067 }), false, 'a unique violation');
  assert.equal(isConnectionFailure(new CountersignError('INVALID_INPUT')), false);
  assert.equal(isConnectionFailure(Object.assign(new Error('unique'), { code: '23505' })), false);
  assert.equal(isConnectionFailure(new TypeError('x is undefined')), false);
  const loop: { cause?: unknown } = {};
  loop.cause = loop;
  assert.equal(isConnectionFailure(loop), false, 'a cause chain that loops ends');
});

it('asStoreError turns a lost connection into STORE_UNAVAILABLE and leaves other errors alone', () => {
  const lost = asStoreError(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }));
  assert.ok(isCountersignError(lost, 'STORE_UNAVAILABLE'));
  assert.equal(lost.detail, 'ECONNREFUSED: connect refused');
  const unique = Object.assign(new Error('unique'), { code: '23505' });
  assert.equal(asStoreError(unique), unique);
  const known = new CountersignError('USER_EXISTS');
  assert.equal(asStoreError(known), known);
});

it('issue 14: pg-pool giving up on a connection during a PostgreSQL restart is STORE_UNAVAILABLE, not a 500', () => {
  const error = new Error('timeout exceeded when trying to connect');
  assert.ok(isConnectionFailure(error));
  assert.ok(isCountersignError(asStoreError(error), 'STORE_UNAVAILABLE'));
});
