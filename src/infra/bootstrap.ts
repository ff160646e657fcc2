import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { getSystemSetting, putSystemSettingOnce } from '../db/system-settings.js';
import { generateToken, hashToken, SecretBox } from './crypto.js';

/**
 * The key that encrypts secrets at rest: `SWITCHBOARD_SECRET_KEY` when set (recommended: keep it
 * outside the database), else one generated on first start and shared by every node through the database.
 */
export async function loadSecretBox(db: Db, configured: string | undefined): Promise<SecretBox> {
  if (configured) return SecretBox.fromString(configured);
  const stored = await putSystemSettingOnce(db, 'secret_key', randomBytes(32).toString('base64url'));
  return SecretBox.fromString(stored);
}

/**
 * On a fresh deployment without `SWITCHBOARD_PROVIDER_TOKEN`, generates a provider token and returns
 * it once (only its hash is kept). Returns null when a token already exists or one is configured.
 */
export async function ensureProviderToken(db: Db, configured: string | undefined): Promise<string | null> {
  if (configured) return null;
  if (await getSystemSetting(db, 'provider_token_hash')) return null;
  const token = generateToken('sbp');
  const stored = await putSystemSettingOnce(db, 'provider_token_hash', hashToken(token));
  return stored === hashToken(token) ? token : null;
}
