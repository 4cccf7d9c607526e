import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built by `npm run web:build` (from the repository root) into web/dist, which the API's express
// server serves at /. Everything is bundled: no CDN, no external fonts, no inline scripts (the
// page's CSP is default-src 'self'). In development, `npx vite --config web/vite.config.mts`
// proxies /v1 to the API on :3000.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // No data: URLs for small assets: every file is its own same-origin request.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});
