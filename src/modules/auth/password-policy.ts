import { AppError } from '../../infra/errors.js';

/**
 * NIST SP 800-63B: length, not composition. At least 15 characters for a password used alone,
 * at most 256, not a commonly used or context-specific value.
 */
export const MIN_PASSWORD_LENGTH = 15;
const COMMON = new Set([
  'password',
  'password123',
  '123456789012345',
  'qwertyuiopasdfg',
  'passwordpassword',
  'letmeinletmein!',
  '111111111111111',
  'aaaaaaaaaaaaaaa',
  'iloveyouiloveyou',
  'administrator123',
  'switchboard12345',
  'welcome12345678',
]);

export function assertPasswordAcceptable(password: string, context: { email?: string | null } = {}): void {
  const field = '/password';
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AppError('weak_password', `use at least ${MIN_PASSWORD_LENGTH} characters (a few words work well)`, {
      field,
    });
  }
  const lower = password.toLowerCase();
  if (
    COMMON.has(lower) ||
    /^(.)\1+$/.test(password) ||
    (context.email && lower.includes(context.email.toLowerCase().split('@')[0]!) && lower.length < 20)
  ) {
    throw new AppError('weak_password', 'this password is too easy to guess', { field });
  }
}
