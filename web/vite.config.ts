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

export default defineConfig({
  base: '/app/',
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
