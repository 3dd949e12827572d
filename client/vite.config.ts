import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source'] },
  // One page loaded once at the start of a day of meetings: a single bundle is fine.
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1024 },
});
