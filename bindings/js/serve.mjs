// A tiny static server for the form on localhost: `/` is bindings/js/form/, `/pkg/` is the
// browser build of the package (wasm/pkg/web/, made by build.sh). Used by the browser tests and
// by hand: `node serve.mjs [port]`, then open the printed address.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const roots = [
  ['/pkg/', resolve(here, '../../wasm/pkg/web')],
  ['/', resolve(here, 'form')],
];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};

/** The file a URL path names, or null when it would leave its root. */
function fileOf(urlPath) {
  const [prefix, root] = roots.find(([p]) => urlPath.startsWith(p));
  const rest = decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html';
  const file = resolve(root, rest);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** Starts the server on 127.0.0.1; resolves to its address and a `close` function. */
export function serve(port = 0) {
  const server = createServer(async (req, res) => {
    const file = fileOf(new URL(req.url, 'http://localhost').pathname);
    try {
      if (!file) throw new Error('outside the served folders');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((done) => {
    server.listen(port, '127.0.0.1', () => {
      done({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((c) => server.close(c)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve(Number(process.argv[2] ?? 8080));
  console.log(`the form is at ${url}`);
}
