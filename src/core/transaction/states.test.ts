// STATES.md's Mermaid diagram and the TRANSITIONS table must list exactly the same moves.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TRANSACTION_STATES, type TransactionState } from '../model.ts';
import { canTransition, isFinal, OPEN_STATES, TRANSITIONS } from './states.ts';

const STATES_MD = readFileSync(new URL('./STATES.md', import.meta.url), 'utf8');

/** The `from --> to` edges of the first mermaid stateDiagram block, `[*]` included. */
function diagramEdges(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
  assert.ok(block, 'STATES.md has a mermaid block');
  const edges: string[] = [];
  for (const raw of block.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('stateDiagram') || line.startsWith('%%')) continue;
    const match = /^(\[\*\]|[a-z_]+)\s*-->\s*([a-z_]+|\[\*\])\s*(?::.*)?$/.exec(line);
    assert.ok(match, `cannot read the diagram line '${line}'`);
    edges.push(`${match[1]} -> ${match[2]}`);
  }
  return edges;
}

test('the diagram lists exactly the transitions of TRANSITIONS', () => {
  const edges = diagramEdges(STATES_MD);
  assert.equal(new Set(edges).size, edges.length, 'no edge is drawn twice');
  const moves = edges.filter((edge) => !edge.startsWith('[*]')).sort();
  const table = Object.entries(TRANSITIONS)
    .flatMap(([from, targets]) => targets.map((to) => `${from} -> ${to}`))
    .sort();
  assert.deepEqual(moves, table);
});

test('the diagram names only known states, and its start edges reach only the states begin can pick', () => {
  const edges = diagramEdges(STATES_MD);
  for (const edge of edges) {
    for (const state of edge.split(' -> ')) {
      if (state !== '[*]') assert.ok((TRANSACTION_STATES as readonly string[]).includes(state), state);
    }
  }
  const starts = edges.filter((edge) => edge.startsWith('[*]')).map((edge) => edge.split(' -> ')[1]);
  assert.deepEqual(starts.sort(), ['allow', 'awaiting_factor', 'deny', 'locked_out']);
});

test('the table in STATES.md marks as final exactly the states with no way out', () => {
  for (const state of TRANSACTION_STATES) {
    const row = new RegExp(`^\\|\\s*\`${state}\`\\s*\\|.*\\|\\s*(yes|no)\\s*\\|$`, 'm').exec(STATES_MD);
    assert.ok(row, `STATES.md has a row for ${state}`);
    assert.equal(row[1] === 'yes', isFinal(state), state);
  }
});

test('final states move nowhere; canTransition follows the table', () => {
  const finals: TransactionState[] = ['allow', 'deny', 'fraud', 'timeout', 'locked_out'];
  for (const from of finals) {
    for (const to of TRANSACTION_STATES) assert.equal(canTransition(from, to), false, `${from} -> ${to}`);
  }
  assert.equal(canTransition('awaiting_factor', 'pushed'), true);
  assert.equal(canTransition('pushed', 'awaiting_factor'), false);
});

test('the parser rejects a line it does not understand (so a typo cannot hide an edge)', () => {
  assert.throws(() => diagramEdges('```mermaid\nstateDiagram-v2\n  pushed -> allow\n```'), /cannot read/);
});

test('issue 15: the open states are exactly the states with a way out, listed once', () => {
  assert.deepEqual(
    [...OPEN_STATES].sort(),
    TRANSACTION_STATES.filter((state) => TRANSITIONS[state].length > 0).sort(),
  );
  assert.deepEqual([...OPEN_STATES].sort(), ['awaiting_factor', 'pushed']);
});
