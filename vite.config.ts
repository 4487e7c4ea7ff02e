import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { cspPlugin } from './src/app/csp.ts';
import { basixPbx } from './src/pbx-sim/vite-plugin.ts';

// basixPbx(): the simulated PBX on the dev server, or the /basix proxy to BASIX_PBX_URL (docs/pbx-sim.md).
export default defineConfig({
  plugins: [react(), tailwindcss(), cspPlugin(), basixPbx()],
  worker: { format: 'es' },
});
