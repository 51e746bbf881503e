// The generated TypeScript definitions, checked by the compiler on a typed example
// (types/example.ts for Node, types/browser.ts for the web entry). Its @ts-expect-error lines
// make the check fail if a type were loosened to `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('tsc --noEmit accepts the typed example and rejects what it must', () => {
  const dir = fileURLToPath(new URL('..', import.meta.url));
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, `tsc failed:\n${tsc.stdout}${tsc.stderr}`);
});
