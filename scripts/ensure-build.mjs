// Builds the server (and the portal, when present) before `npm start` if the build is missing or older than the sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The newest modification time of any file under `dir` (0 when it does not exist).
 * @param {string} dir
 */
function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const serverOut = 'dist/src/cli.js';
if (!existsSync(serverOut) || newest('src') > statSync(serverOut).mtimeMs) {
  console.log('Building the server…');
  execSync('npm run build', { stdio: 'inherit' });
}
if (existsSync('web/package.json') || existsSync('web/index.html')) {
  const webOut = 'web/dist/index.html';
  if (!existsSync(webOut) || newest('web/src') > statSync(webOut).mtimeMs) {
    console.log('Building the admin portal…');
    execSync('npm run build:web', { stdio: 'inherit' });
  }
}
