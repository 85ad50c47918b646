// Writes docs/configuration.md from the configuration schema, so the documented defaults are the real ones.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configReference } from '../src/config-reference.ts';

const target = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
writeFileSync(target, configReference());
console.log(`wrote ${target}`);
