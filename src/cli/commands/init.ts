// `countersign init`: the data directory, the key file and the database schema.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openCountersign } from '../../app.ts';
import { keyFilePath, publicUrl, samlKeyFiles } from '../../config.ts';
import { secureRandom } from '../../core/clock.ts';
import { newKeyRing, writeKeyFile } from '../../crypto/keyring.ts';
import { ensureSigningFiles } from '../../fronts/saml/signing-files.ts';
import type { Command, Invocation } from '../command.ts';
import { configFor } from '../context.ts';
import { print } from '../output.ts';

/** Creates what is missing (never overwrites a key file); returns what it did. */
export async function initialize(invocation: Invocation): Promise<{
  dataDir: string;
  keyFile: string | null;
  createdKey: boolean;
  samlCertificate: string | null;
  database: string;
}> {
  const config = configFor(invocation);
  await mkdir(config.data_dir, { recursive: true, mode: 0o700 });
  let keyFile: string | null = null;
  let createdKey = false;
  if (!invocation.io.env.COUNTERSIGN_MASTER_KEY) {
    keyFile = keyFilePath(config);
    if (!existsSync(keyFile)) {
      await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
      await writeKeyFile(keyFile, newKeyRing(secureRandom));
      createdKey = true;
    }
  }
  const countersign = await openCountersign(config);
  await countersign.close();
  let samlCertificate: string | null = null;
  if (config.saml.enabled) {
    const files = samlKeyFiles(config);
    await ensureSigningFiles(files, new URL(publicUrl(config)).hostname);
    samlCertificate = files.certFile;
  }
  return {
    dataDir: config.data_dir,
    keyFile,
    createdKey,
    samlCertificate,
    database: config.database_url ? 'postgresql' : 'sqlite',
  };
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Create the data directory, the master key file and the database schema.',
  usage: 'countersign init [--data-dir DIR] [--config FILE]',
  async run(invocation) {
    const result = await initialize(invocation);
    print(invocation.io, invocation.json, result, () =>
      [
        `Data directory: ${result.dataDir}`,
        result.keyFile
          ? `Master key:     ${result.keyFile}${result.createdKey ? ' (created: back it up on its own; database backups do not hold it)' : ' (kept)'}`
          : 'Master key:     from COUNTERSIGN_MASTER_KEY',
        `Database:       ${result.database}, migrated`,
        ...(result.samlCertificate ? [`SAML signing:   ${result.samlCertificate} (with its key)`] : []),
      ].join('\n'),
    );
    return result;
  },
};
