// Builds the console (/admin/) into web/dist/console: `npx vite build --config web/console/vite.config.ts`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // The page is served at /admin/ and its assets below /admin/console/ (the Admin API owns the rest of /admin).
  base: '/admin/console/',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: join(here, '..', 'dist', 'console'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // No inline modulepreload polyfill script: the CSP forbids inline script.
    modulePreload: { polyfill: false },
  },
});
