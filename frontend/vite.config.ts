// Vite config: the SPA on :8080, proxying each service's path prefix (docs/conventions.md).
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const services: Record<string, number> = {
  '/registry': 8001,
  '/consent': 8002,
  '/dsar': 8003,
  '/scheduler': 8004,
};

const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  Object.entries(services).map(([prefix, port]) => [prefix, { target: `http://127.0.0.1:${port}` }]),
);

// 127.0.0.1 rather than "localhost": Node may resolve localhost to ::1 only, while browsers try
// both, so http://localhost:8080 (the origin the IdP trusts) works either way.
const server = { host: '127.0.0.1', port: 8080, strictPort: true, proxy };

export default defineConfig({
  plugins: [react()],
  server,
  preview: server,
  build: {
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
