// Unit tests for recognising constraint violations from SQLite and PostgreSQL errors.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { it } from 'node:test';
import { concerns, constraintViolation } from './db-errors.ts';

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
