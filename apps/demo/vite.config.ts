import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The demo is bundled from the client's source (clients/js/src), not its dist: npm runs the
 * workspaces' `prepare` scripts concurrently, so the client's own build may not be there yet when
 * this one runs. The import in the app stays `@chatroulette/client`.
 */
/** `npm run dev`: Vite's server with the API, the socket and the uploads of a running gateway. */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  server: {
    proxy: {
      '/api': { target: gateway, ws: true, changeOrigin: false },
      '/uploads': { target: gateway },
    },
  },
  resolve: {
    alias: { '@chatroulette/client': fileURLToPath(new URL('../../clients/js/src/index.ts', import.meta.url)) },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under /assets: the gateway caches them for a year, index.html never.
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: true,
  },
});
