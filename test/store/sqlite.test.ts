// Runs the repository conformance suite on a temporary SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { runRepositoryConformance } from './conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'countersign-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runRepositoryConformance('sqlite', () => openStore({ sqlitePath: join(dir, 'countersign.db') }));
