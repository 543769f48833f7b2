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

// The built SPA in the preview server (what the browser tests use) carries the same security
// headers as deploy/nginx.conf, with the dev IdP as the OIDC origin.
const oidcOrigins = process.env.VERN_OIDC_ORIGINS ?? 'http://localhost:9000';
const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${oidcOrigins}`,
    `frame-src ${oidcOrigins}`,
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const chartModules = new RegExp(
  `node_modules[\\\\/](${[
    'recharts',
    '@reduxjs',
    'redux',
    'redux-thunk',
    'react-redux',
    'immer',
    'reselect',
    'es-toolkit',
    'decimal\\.js-light',
    'eventemitter3',
    'tiny-invariant',
    'victory-vendor',
    'd3-[a-z-]+',
    'internmap',
  ].join('|')})[\\\\/]`,
);

export default defineConfig({
  plugins: [react()],
  server,
  preview: { ...server, headers: securityHeaders },
  build: {
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across deploys.
        codeSplitting: {
          // Higher priority first; a group also takes in what its modules import, so React and the
          // shared libraries are claimed before the chart group can pull them in.
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            {
              name: 'vendor',
              test: (id: string) => /node_modules[\\/]/.test(id) && !chartModules.test(id),
              priority: 2,
            },
            // The chart library and what only it uses: loaded with the statistics chart, never up front.
            { name: 'charts', test: chartModules, priority: 1 },
          ],
        },
      },
    },
  },
});
