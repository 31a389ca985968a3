import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `pnpm --filter @soshogle/ui dev` serves the UI with hot reload and sends /api to a
// running `npm start` (SOSHOGLE_URL, default http://localhost:3000).
export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': process.env.SOSHOGLE_URL ?? 'http://localhost:3000' } },
  build: { reportCompressedSize: false },
});
