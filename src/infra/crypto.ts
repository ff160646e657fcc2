import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hash,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

/** Password hashing (memory-hard scrypt, I1), token hashing, and encryption of secrets at rest. */

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, all base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash that no password matches, verified when the account does not exist so timing reveals nothing (I4). */
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const encoded = stored ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return stored !== null && key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random bearer secret with a readable prefix (`sbp_` provider, `sbs_` session, `sbt_` API token, `sbk_` platform). */
export function generateToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored as SHA-256 digests: they are long random values, so a fast hash is enough. */
export function hashToken(token: string): string {
  // The one-shot digest: on every authenticated request, at a third of a Hash object's cost.
  return hash('sha256', token, 'base64url');
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** AES-256-GCM encryption for secrets at rest (SIP credentials): `v1.iv.tag.ciphertext`. */
export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.key = key;
  }
  static fromString(secret: string): SecretBox {
    return new SecretBox(createHash('sha256').update(secret).digest());
  }
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(
      '.',
    );
  }
  /**
   * An HMAC-SHA256 of `data` under a key derived from the secret key for one purpose (HKDF), so a
   * signature made for one use (e.g. recording links) is worthless for any other. Base64url.
   */
  signature(purpose: string, data: string): string {
    const key = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), purpose, 32));
    return createHmac('sha256', key).update(data).digest('base64url');
  }
  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unreadable secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
