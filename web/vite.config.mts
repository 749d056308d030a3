// The console's build (scripts/build-web.sh): web/ → dist/web, served by the
// API at `/`. `npx vite --config web/vite.config.mts` serves it with hot reload
// and forwards /api to a running `npm start`.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Element Plus and ECharts are large by nature; the console is an intranet app.
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.API_PORT ?? 3000}` } },
});
