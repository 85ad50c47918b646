// `countersign keys rotate`: a new master key, then every secret re-sealed under it.
import { keyFilePath } from '../../config.ts';
import { rotateKeys } from '../../core/admin/rotate-keys.ts';
import { secureRandom } from '../../core/clock.ts';
import { addPrimaryKey, writeKeyFile } from '../../crypto/keyring.ts';
import { type Command, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { print } from '../output.ts';

export const keysRotate: Command = {
  name: 'keys rotate',
  summary: 'Add a new master key and re-encrypt every stored secret with it (old keys stay readable).',
  usage: 'countersign keys rotate',
  positionals: 0,
  run: (invocation) =>
    withCountersign(invocation, async (countersign) => {
      if (invocation.io.env.COUNTERSIGN_MASTER_KEY) {
        throw new UsageError(
          'the key ring comes from COUNTERSIGN_MASTER_KEY: rotate with a key file (master_key_file)',
        );
      }
      const ring = addPrimaryKey(countersign.deps.ring, secureRandom);
      // The new ring is saved before any row uses it, so a crash never leaves a secret nobody can open.
      await writeKeyFile(keyFilePath(countersign.config), ring);
      const { resealed } = await rotateKeys({ ...countersign.deps, ring }, cliActor(invocation), ring);
      const result = { primaryKey: ring.primaryId, keys: ring.keys.size, resealed };
      print(
        invocation.io,
        invocation.json,
        result,
        () =>
          `New primary key ${ring.primaryId}; ${resealed} secret(s) re-encrypted. Restart running servers to pick it up.`,
      );
      return result;
    }),
};
