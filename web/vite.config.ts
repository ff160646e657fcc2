import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The admin portal: built into web/dist, served by the server at `/`. In dev, API calls go to the server. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      // The phone-number metadata (the SDK's offline dial rule) is large and has no side effects on
      // load: declaring so lets it travel only with the pages that dial, not in the main bundle.
      treeshake: {
        moduleSideEffects: (id) =>
          !/google-libphonenumber|libphonenumber-js|src[\\/](access[\\/]dial|contract)/.test(id),
      },
      output: {
        manualChunks: {
          react: ['react', 'react-dom', 'react-router'],
          mantine: ['@mantine/core', '@mantine/hooks'],
          query: ['@tanstack/react-query', '@tanstack/react-virtual'],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:3000', ws: true },
      '/openapi.json': process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:3000',
    },
  },
});
