// Vite plugin for the Authenticator PWA: builds sw.js (unhashed, with its precache list) and the PNG icons.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { drawIcon } from './draw-icon.ts';

/** Icon sizes the manifest lists (192 and 512 are what Chromium's install criteria ask for) and iOS's 180. */
export const ICON_SIZES = [180, 192, 512];

/** Adds the service worker entry, emits the icons, and writes the precache list into sw.js. */
export function authenticatorExtras(): Plugin {
  let publicDir = '';
  return {
    name: 'countersign-authenticator-extras',
    apply: 'build',
    config(config) {
      const root = config.root ?? process.cwd();
      publicDir = join(root, 'public');
      return {
        build: {
          rolldownOptions: {
            input: { index: join(root, 'index.html'), sw: join(root, 'sw.ts') },
            output: {
              // The worker's URL must stay the same across releases; everything else is content-hashed.
              entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
            },
          },
        },
      };
    },
    generateBundle(_options, bundle) {
      const emitted: string[] = [];
      for (const size of ICON_SIZES) {
        const fileName = `icon-${size}.png`;
        this.emitFile({ type: 'asset', fileName, source: drawIcon(size) });
        emitted.push(fileName);
      }
      const worker = bundle['sw.js'];
      if (worker?.type !== 'chunk') throw new Error('the service worker entry (sw.ts) was not built');
      // Vite copies public/ after the bundle is written: list (and hash) those files here.
      const publicFiles = readdirSync(publicDir);
      const files = [...new Set([...Object.keys(bundle), ...emitted, ...publicFiles])]
        .filter((name) => name !== 'sw.js' && !name.endsWith('.map') && name !== 'index.html')
        .sort();
      // './' is the app shell (index.html as served at /app/).
      const precache = ['./', ...files];
      // Any changed byte changes sw.js, which is how browsers notice a new release (SW spec: byte-for-byte check).
      const hash = createHash('sha256');
      for (const name of Object.keys(bundle).sort()) {
        const item = bundle[name]!;
        if (name !== 'sw.js') hash.update(name).update(item.type === 'chunk' ? item.code : item.source);
      }
      for (const name of publicFiles) hash.update(name).update(readFileSync(join(publicDir, name)));
      const version = hash.digest('hex').slice(0, 12);
      worker.code = `const COUNTERSIGN_PRECACHE=${JSON.stringify(precache)};const COUNTERSIGN_VERSION=${JSON.stringify(version)};\n${worker.code}`;
    },
  };
}
