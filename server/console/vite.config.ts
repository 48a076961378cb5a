import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))

// The console is served by the API server at /console/ (same origin, so the session cookie and
// CSRF header need no CORS). `npm start` builds it when stale; `vite` alone serves it for
// development with the API proxied to a running server.
export default defineConfig({
  root: here,
  base: '/console/',
  build: {
    outDir: path.resolve(here, '../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // Ant Design marks its modules "use client" (for React Server Components): meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
})
