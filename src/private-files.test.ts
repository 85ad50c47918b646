// Tightening file modes: group and other bits go, owner bits stay, links and missing paths are left alone.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tightenPrivateFiles } from './private-files.ts';

const root = await mkdtemp(join(tmpdir(), 'countersign-private-'));
after(() => rm(root, { recursive: true, force: true }));
const mode = async (path: string) => (await stat(path)).mode & 0o777;

test('paths and folder entries lose group and other access; owner bits and already-private paths are kept', async () => {
  const file = join(root, 'db');
  const readOnly = join(root, 'key');
  const folder = join(root, 'outbox');
  await writeFile(file, 'x');
  await writeFile(readOnly, 'x');
  await mkdir(folder);
  await writeFile(join(folder, 'a.eml'), 'x');
  await writeFile(join(folder, 'b.eml'), 'x');
  await chmod(file, 0o664);
  await chmod(readOnly, 0o444);
  await chmod(folder, 0o755);
  await chmod(join(folder, 'a.eml'), 0o644);
  await chmod(join(folder, 'b.eml'), 0o600);

  const result = await tightenPrivateFiles({
    paths: [file, readOnly, join(root, 'absent')],
    folders: [folder],
  });
  assert.deepEqual(result.failed, []);
  assert.deepEqual(
    result.changed.sort(),
    [
      `${readOnly} 444 → 400`,
      `${file} 664 → 600`,
      `${folder} 755 → 700`,
      `${join(folder, 'a.eml')} 644 → 600`,
    ].sort(),
  );
  assert.deepEqual(
    [await mode(file), await mode(readOnly), await mode(folder), await mode(join(folder, 'b.eml'))],
    [0o600, 0o400, 0o700, 0o600],
  );
  assert.deepEqual(await tightenPrivateFiles({ paths: [file], folders: [folder] }), {
    changed: [],
    failed: [],
  });
});

test("a symbolic link is not followed: its target may be someone else's file", async () => {
  const target = join(root, 'shared.txt');
  await writeFile(target, 'x');
  await chmod(target, 0o644);
  const link = join(root, 'link');
  await symlink(target, link);
  const folder = join(root, 'links');
  await mkdir(folder, { mode: 0o700 });
  await symlink(target, join(folder, 'inside'));
  assert.deepEqual(await tightenPrivateFiles({ paths: [link], folders: [folder] }), {
    changed: [],
    failed: [],
  });
  assert.equal(await mode(target), 0o644);
});
