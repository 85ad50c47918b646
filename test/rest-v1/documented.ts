// Reads the configuration blocks docs/pam.md tells operators to write, so the tests run what the docs say.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DOC = fileURLToPath(new URL('../../docs/pam.md', import.meta.url));

/** The fenced blocks of docs/pam.md that start with a comment naming `file` (`; /etc/security/pam_duo.conf …`). */
function blocksNaming(file: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    if (line.startsWith('```')) {
      if (current) blocks.push(current);
      current = current ? null : [];
      continue;
    }
    current?.push(line);
  }
  return blocks.filter((block) => /^[;#] /.test(block[0] ?? '') && block[0]!.slice(2).startsWith(`${file}`));
}

/** The one block naming `file`; a test fails loudly when the docs lose it or gain a second. */
function documentedBlock(file: string): string[] {
  const found = blocksNaming(file);
  if (found.length !== 1) throw new Error(`docs/pam.md has ${found.length} blocks for ${file}, expected 1`);
  return found[0]!;
}

/** The `key = value` settings of a documented duo_unix configuration file, in order. */
export function documentedConf(file: 'pam_duo.conf' | 'login_duo.conf'): Array<[string, string]> {
  const settings: Array<[string, string]> = [];
  for (const line of documentedBlock(`/etc/security/${file}`)) {
    const match = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) settings.push([match[1]!, match[2]!]);
  }
  return settings;
}

/** The `auth` lines of the documented PAM stack for SSH (`/etc/pam.d/sshd`), comments left out. */
export function documentedSshAuthStack(): string[] {
  return documentedBlock('/etc/pam.d/sshd').filter((line) => /^\s*auth\s/.test(line));
}

/**
 * Writes duo_unix's INI text: the documented settings with `overrides` applied (a null removes a setting),
 * under `[duo]`.
 */
export function confText(
  documented: Array<[string, string]>,
  overrides: Record<string, string | null>,
): string {
  const settings = new Map(documented);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) settings.delete(key);
    else settings.set(key, value);
  }
  return ['[duo]', ...[...settings].map(([key, value]) => `${key} = ${value}`), ''].join('\n');
}
