// Encryption at rest for OAuth tokens and provider credentials: AES-256-GCM with keys
// from SECRETS_KEYS. A stored secret is an envelope that names the key that sealed it,
// so keys can be rotated: the first key encrypts, every key decrypts, and
// `rewrapSecret` moves old envelopes to the first key. See docs/secrets.md.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.ts';
import type { Secrets } from './plugin.ts';

/** The keys secrets are sealed with: `current` encrypts, any key in `byId` decrypts. */
export interface KeyRing {
  readonly current: { readonly id: string; readonly key: Buffer };
  /** Every key by id, the current one included. */
  readonly byId: ReadonlyMap<string, Buffer>;
}

/** A stored secret could not be read: malformed, unknown key, or failed authentication. */
export class SecretError extends Error {
  override name = 'SecretError';
}

const VERSION = 'v1';
const KEY_BYTES = 32;
/** 12 bytes is the IV size GCM is designed for; a fresh random one per encryption. */
const IV_BYTES = 12;
/** The full 16-byte tag: shorter tags make forgeries cheaper. */
const TAG_BYTES = 16;
const KEY_ID = /^[a-z0-9_-]{1,32}$/i;

const FORMAT = '<keyId>:<base64 of 32 bytes>, comma-separated, the key that encrypts first';
const GENERATE = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/** Base64 of 32 random bytes: a new key for SECRETS_KEYS. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * Reads a key ring in the SECRETS_KEYS format (`source` names where it came from in
 * errors). Errors name the entry by position and id, never the key material: they end up
 * in logs.
 */
export function parseKeyRing(value: string, source = 'SECRETS_KEYS'): KeyRing {
  const entries = value.split(',').map((e) => e.trim());
  if (entries.length === 1 && entries[0] === '') {
    throw new ConfigError(`${source} is empty; expected ${FORMAT}.`);
  }
  const byId = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const [id, key] = parseEntry(entry, `${source} entry ${index + 1}`);
    if (byId.has(id)) throw new ConfigError(`${source} entry ${index + 1}: key id "${id}" appears more than once.`);
    byId.set(id, key);
  });
  const [id, key] = [...byId][0]!;
  return { current: { id, key }, byId };
}

function parseEntry(entry: string, where: string): [string, Buffer] {
  if (entry === '') throw new ConfigError(`${where} is empty; expected ${FORMAT}.`);
  const colon = entry.indexOf(':');
  // No colon: likely a bare key pasted without its id, so echo nothing of it.
  if (colon === -1) throw new ConfigError(`${where} has no ":"; expected <keyId>:<base64 of 32 bytes>.`);
  const id = entry.slice(0, colon).trim();
  const material = entry.slice(colon + 1).trim();
  if (!KEY_ID.test(id)) {
    throw new ConfigError(`${where}: the key id must be 1 to 32 letters, digits, "_" or "-" (${KEY_ID}).`);
  }
  const key = Buffer.from(material, 'base64');
  // Buffer.from skips characters that are not base64, so compare the round trip.
  if (key.toString('base64') !== material) {
    throw new ConfigError(`${where} ("${id}"): the key is not valid base64; expected base64 of 32 bytes, e.g. from ${GENERATE}.`);
  }
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`${where} ("${id}"): the key is ${key.length} bytes; expected base64 of exactly ${KEY_BYTES} bytes.`);
  }
  return [id, key];
}

export interface LoadKeyRingOptions {
  env: Record<string, string | undefined>;
  /** Where the development key file lives (DATA_DIR). */
  dataDir: string;
  production: boolean;
  log?: (msg: string) => void;
}

/**
 * The key ring from SECRETS_KEYS. Without it, development uses `<dataDir>/secrets.keys`,
 * generating it on first run so `pnpm start` works with no setup; production refuses to
 * start, since a generated key would silently differ between servers and deploys.
 */
export function loadKeyRing(options: LoadKeyRingOptions): KeyRing {
  const value = options.env.SECRETS_KEYS;
  if (value !== undefined && value !== '') return parseKeyRing(value);
  if (options.production) {
    throw new ConfigError(
      [
        'SECRETS_KEYS is not set. It is required in production: it encrypts OAuth tokens and provider credentials in the database.',
        `Generate a key with:  ${GENERATE}`,
        `and set SECRETS_KEYS=<keyId>:<key>, e.g. SECRETS_KEYS=${devKeyId()}:<key> (format: ${FORMAT}).`,
      ].join('\n'),
    );
  }
  const file = path.join(options.dataDir, 'secrets.keys');
  const existing = readKeyFile(file);
  if (existing !== undefined) return parseKeyRing(existing, file);
  const created = `${devKeyId()}:${generateKey()}`;
  mkdirSync(options.dataDir, { recursive: true });
  try {
    // 'wx': if another process created the file meanwhile, keep its key rather than ours.
    writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parseKeyRing(readKeyFile(file) ?? '', file);
    throw error;
  }
  (options.log ?? console.warn)(`Generated a development encryption key in ${file} (set SECRETS_KEYS in production).`);
  return parseKeyRing(created, file);
}

function readKeyFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `dev-<yyyymmdd>` (UTC): the date tells a reader when the key was made. */
function devKeyId(): string {
  return `dev-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Encrypts `plaintext` with the current key into `v1.<keyId>.<iv>.<ciphertext>.<tag>`
 * (base64url parts). `context` names where the value is stored (e.g.
 * `Account.access_token:<rowId>`) and is authenticated with it, so a ciphertext copied
 * to another column or row fails to decrypt.
 */
export function encryptSecret(ring: KeyRing, plaintext: string, context?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context ?? '', 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return [VERSION, ring.current.id, ...parts].join('.');
}

/** The plaintext of an envelope made by `encryptSecret` with the same `context`. */
export function decryptSecret(ring: KeyRing, envelope: string, context?: string): string {
  const parsed = parseEnvelope(envelope);
  if (!parsed) throw new SecretError(`malformed secret: expected ${VERSION}.<keyId>.<iv>.<ciphertext>.<tag>`);
  const key = ring.byId.get(parsed.keyId);
  if (!key) throw new SecretError(`unknown key id ${parsed.keyId}: add that key to SECRETS_KEYS (after the current one) to read this secret`);
  const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context ?? '', 'utf8'));
  decipher.setAuthTag(parsed.tag);
  try {
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError('secret failed authentication: wrong key or context, or the stored value was altered');
  }
}

/** Whether `value` is shaped like a v1 envelope (it is not decrypted). */
export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && parseEnvelope(value) !== undefined;
}

/**
 * The envelope re-encrypted under the current key, for rotation. One already under the
 * current key comes back unchanged, so running rotation twice rewrites nothing; it is
 * still decrypted first, so a broken secret fails here whichever key it is under.
 */
export function rewrapSecret(ring: KeyRing, envelope: string, context?: string): string {
  const plaintext = decryptSecret(ring, envelope, context);
  if (parseEnvelope(envelope)?.keyId === ring.current.id) return envelope;
  return encryptSecret(ring, plaintext, context);
}

/**
 * An HMAC-SHA256 of `data` (base64url, 43 characters) for `purpose`, under a key derived
 * with HKDF from the current key: every process of an installation makes and accepts the
 * same signatures, a signature for one purpose is worthless for another, and the keys that
 * encrypt are never used to sign.
 */
export function signWith(ring: KeyRing, purpose: string, data: string): string {
  return mac(ring.current.key, purpose, data);
}

/** Whether `signature` is `signWith(ring, purpose, data)` under any key of the ring (so signatures survive a rotation while their key is kept). */
export function verifyWith(ring: KeyRing, purpose: string, data: string, signature: string): boolean {
  const given = Buffer.from(signature);
  return [...ring.byId.values()].some((key) => {
    const expected = Buffer.from(mac(key, purpose, data));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A plugin's ctx.secrets: the core's envelope, and signatures bound to the plugin (two plugins' purposes never meet). */
export function pluginSecrets(ring: KeyRing, plugin: string): Secrets {
  return {
    seal: (plaintext, context) => encryptSecret(ring, plaintext, context),
    open: (envelope, context) => decryptSecret(ring, envelope, context),
    sign: (purpose, data) => signWith(ring, `${plugin}:${purpose}`, data),
    verify: (purpose, data, signature) => verifyWith(ring, `${plugin}:${purpose}`, data, signature),
  };
}

// Derived signing keys by key and purpose: HKDF is a pure function, and deriving on every
// signature cost a public booking page's slot read about as much as its SQL.
const derivedKeys = new WeakMap<Buffer, Map<string, Buffer>>();

function mac(key: Buffer, purpose: string, data: string): string {
  let byPurpose = derivedKeys.get(key);
  if (!byPurpose) derivedKeys.set(key, (byPurpose = new Map()));
  let derived = byPurpose.get(purpose);
  if (!derived) byPurpose.set(purpose, (derived = Buffer.from(hkdfSync('sha256', key, 'soshogle:sign', purpose, KEY_BYTES))));
  return createHmac('sha256', derived).update(data, 'utf8').digest('base64url');
}

interface Envelope {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parseEnvelope(envelope: string): Envelope | undefined {
  const parts = envelope.split('.');
  if (parts.length !== 5) return undefined;
  const [version, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (version !== VERSION || !KEY_ID.test(keyId)) return undefined;
  const [ivBytes, ciphertextBytes, tagBytes] = [iv, ciphertext, tag].map(fromBase64url);
  if (!ivBytes || !ciphertextBytes || !tagBytes) return undefined;
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return undefined;
  return { keyId, iv: ivBytes, ciphertext: ciphertextBytes, tag: tagBytes };
}

/** Strict base64url: Buffer.from ignores stray characters and spare bits, so compare the round trip. */
function fromBase64url(value: string): Buffer | undefined {
  const bytes = Buffer.from(value, 'base64url');
  return bytes.toString('base64url') === value ? bytes : undefined;
}
