import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// files.txt lists every built file: the gateway (io.filehost.gateway.web.WebApp) loads exactly these from the class
// path, since a jar on the class path cannot be listed portably.
function fileList(): Plugin {
  return {
    name: 'filehost-file-list',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir!;
      const names = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name !== 'files.txt')
        .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
        .sort();
      writeFileSync(join(dir, 'files.txt'), names.join('\n') + '\n');
    },
  };
}

// npm run dev: the page with hot reload against a running platform (./dev up): the API, tus and the site name are
// proxied to the gateway.
const gateway = process.env.FH_GATEWAY_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': gateway, '/app/site.json': gateway };

export default defineConfig({
  base: '/app/',
  server: { proxy },
  preview: { proxy },
  plugins: [fileList()],
  build: {
    target: 'es2022',
    // No inline data: URLs for assets (the CSP allows img-src data: but nothing else inline); no module preload
    // polyfill (every Chromium/Firefox/Safari in use supports modulepreload).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
});
