// The built web pages for browser tests: `npm test` builds them first (pretest); a test run on its own builds once.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['authenticator', 'activate', 'prompt', 'portal', 'console'];

/**
 * Builds every page (`npm run build`) when one is missing. Never rebuilds pages that exist: test files run in
 * parallel processes, and a rebuild empties the folder another process is serving.
 */
export function ensureWebBuilt(): void {
  if (PAGES.every((page) => existsSync(join(ROOT, 'web/dist', page, 'index.html')))) return;
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
