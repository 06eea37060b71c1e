/** Writes howdy.example.toml from the option table (test/cli/config.test.ts checks it matches). */
import { writeFileSync } from 'node:fs';
import { exampleConfig } from '../src/cli/config.js';

writeFileSync(new URL('../howdy.example.toml', import.meta.url), exampleConfig());
