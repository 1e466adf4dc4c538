import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// electron-vite looks for src/main, src/preload and src/renderer by default; this project keeps
// the process folders at the top level, so every entry and the renderer root are named here.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // rescore-worker: the full rescore's worker thread (main/services/rescore-job.ts looks for
        // out/main/rescore-worker.js beside the bundle).
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli.ts'),
          'rescore-worker': resolve(__dirname, 'main/workers/rescore.worker.ts'),
        },
        external: ['better-sqlite3-multiple-ciphers'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        // A sandboxed preload can only require('electron') and a few built-ins: bundle zod in.
        output: { format: 'cjs', inlineDynamicImports: true },
      },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
      // No inline scripts or eval: the CSP forbids both.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
    },
  },
});
