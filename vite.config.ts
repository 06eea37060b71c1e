import { defineConfig } from 'vite';

// The browser client: built from src/web into dist/web, which `howdy server` serves.
export default defineConfig({
  root: 'src/web',
  base: './',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
  },
  logLevel: 'warn',
});
