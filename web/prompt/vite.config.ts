// Builds the hosted login prompt into web/dist/prompt, served by src/fronts/prompt at /prompt/.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/prompt/',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: join(here, '..', 'dist', 'prompt'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // The CSP allows no inline script: no injected preload polyfill, no inlined assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
