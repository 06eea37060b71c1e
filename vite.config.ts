import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The browser client (Preact): built from src/web into dist/web, which `howdy server` serves.
export default defineConfig({
  root: 'src/web',
  base: './',
  plugins: [preact()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
  },
  logLevel: 'warn',
});
