// Countersign's files are its owner's alone (folders 0700, files 0600): made so, and tightened when an older version left them open.
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Mode of every folder Countersign creates. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file Countersign creates. */
export const PRIVATE_FILE_MODE = 0o600;

/** What `tightenPrivateFiles` did: the paths it changed (`<path> 644 → 600`) and those it could not change. */
export interface Tightened {
  changed: string[];
  failed: Array<{ path: string; reason: string }>;
}

/** Which paths to check: single files or folders, and folders whose entries are checked too. */
export interface PrivatePaths {
  paths: string[];
  folders: string[];
}

const octal = (mode: number) => (mode & 0o777).toString(8);

/**
 * Removes group and other access from each existing path, and from the entries of each folder (symbolic links
 * are left alone: their target may be anyone's). Owner bits are kept.
 */
export async function tightenPrivateFiles({ paths, folders }: PrivatePaths): Promise<Tightened> {
  const result: Tightened = { changed: [], failed: [] };
  const tighten = async (path: string) => {
    let mode: number;
    try {
      const info = await lstat(path);
      if (info.isSymbolicLink()) return;
      mode = info.mode;
    } catch {
      return; // Not there: nothing to protect.
    }
    if ((mode & 0o077) === 0) return;
    const tight = mode & 0o700;
    try {
      await chmod(path, tight);
      result.changed.push(`${path} ${octal(mode)} → ${octal(tight)}`);
    } catch (error) {
      result.failed.push({ path, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  };
  for (const path of [...paths, ...folders]) await tighten(path);
  for (const folder of folders) {
    const entries = await readdir(folder).catch(() => []);
    for (const entry of entries) await tighten(join(folder, entry));
  }
  return result;
}
