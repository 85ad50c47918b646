// Builds the two browser apps Countersign serves: the Authenticator PWA (/app/) and the activation page (/activate/).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type InlineConfig, type Plugin, type UserConfig } from 'vite';
import { authenticatorExtras } from './build/authenticator-extras.ts';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/** One page's build: its own root, URL base and output folder under web/dist/. */
function pageConfig(page: 'authenticator' | 'activate', base: string, extra: Plugin[] = []): UserConfig {
  return {
    root: join(webDir, page),
    base,
    publicDir: join(webDir, page, 'public'),
    plugins: [react(), ...extra],
    build: {
      outDir: join(webDir, 'dist', page),
      emptyOutDir: true,
      // Browsers of the last few years: module scripts, top-level await not needed.
      target: 'es2022',
      assetsDir: 'assets',
    },
  };
}

/** After the app is written, builds the activation page too: one `vite build` makes both folders. */
function alsoBuild(config: InlineConfig): Plugin {
  let logLevel: InlineConfig['logLevel'];
  return {
    name: 'countersign-also-build',
    apply: 'build',
    configResolved(resolved) {
      logLevel = resolved.logLevel;
    },
    async closeBundle() {
      await build({ ...config, logLevel });
    },
  };
}

export default defineConfig(({ mode }) => {
  const activate: InlineConfig = { ...pageConfig('activate', './'), configFile: false, mode };
  return pageConfig('authenticator', './', [authenticatorExtras(), alsoBuild(activate)]);
});
