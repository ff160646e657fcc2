import { AppError } from './errors.js';

/** E3: a stale `If-Match` gets 412. Accepts `"17"`, `W/"17"` or `17`; absent means unconditional. */
export function assertVersion(ifMatch: string | undefined, current: number): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '').trim();
  if (wanted !== String(current)) {
    throw new AppError('version_conflict', `the resource is at version ${current}, not ${wanted}`, {
      rule: 'E3',
      extra: { currentVersion: current },
    });
  }
}

export function etag(version: number): string {
  return `"${version}"`;
}
