// Builds the self-service portal (/portal/) into web/dist/portal: `npx vite build --config web/portal/vite.config.ts`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/portal/',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: join(here, '..', 'dist', 'portal'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // No inline modulepreload polyfill script: the CSP forbids inline script.
    modulePreload: { polyfill: false },
  },
});
