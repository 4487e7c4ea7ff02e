import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { cspPlugin } from './src/app/csp.ts';

// The simulated PBX / BASIX_PBX_URL proxy plugin is added by the pbx-sim work (issue 3).
export default defineConfig({
  plugins: [react(), tailwindcss(), cspPlugin()],
  worker: { format: 'es' },
});
