import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  encryptSecret,
  generateKey,
  isEncrypted,
  loadKeyRing,
  parseKeyRing,
  rewrapSecret,
  SecretError,
  signWith,
  verifyWith,
} from './secrets.ts';

const oldKey = generateKey();
const newKey = generateKey();
const ring = parseKeyRing(`main:${oldKey}`);
const context = 'Account.access_token:row1';

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'soshogle-secrets-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `envelope` with the first character of part `index` changed (a first character carries only data bits). */
function tamper(envelope: string, index: number): string {
  const parts = envelope.split('.');
  const part = parts[index]!;
  parts[index] = (part.startsWith('A') ? 'B' : 'A') + part.slice(1);
  return parts.join('.');
}

describe('encryptSecret and decryptSecret', () => {
  it('round-trips text, with and without a context', () => {
    for (const text of ['ya29.a0AfH6SMB', '', 'ünïcødé ✓ 🔑', 'x'.repeat(10_000)]) {
      expect(decryptSecret(ring, encryptSecret(ring, text, context), context)).toBe(text);
      expect(decryptSecret(ring, encryptSecret(ring, text))).toBe(text);
    }
  });

  it('writes a v1 envelope under the current key', () => {
    const envelope = encryptSecret(ring, 'token', context);
    expect(envelope).toMatch(/^v1\.main\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(envelope).not.toContain('token');
    expect(isEncrypted(envelope)).toBe(true);
    expect(isEncrypted('token')).toBe(false);
    expect(isEncrypted('v1.main.not.an.envelope')).toBe(false);
    expect(isEncrypted(null)).toBe(false);
  });

  it('uses a fresh IV each time, so equal texts give different envelopes', () => {
    const a = encryptSecret(ring, 'same', context);
    const b = encryptSecret(ring, 'same', context);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('rejects a change to any part of the envelope', () => {
    const envelope = encryptSecret(ring, 'refresh-token', context);
    for (let index = 0; index < 5; index++) {
      expect(() => decryptSecret(ring, tamper(envelope, index), context)).toThrowError(SecretError);
    }
    expect(() => decryptSecret(ring, tamper(envelope, 3), context)).toThrowError('secret failed authentication');
    expect(() => decryptSecret(ring, tamper(envelope, 4), context)).toThrowError('secret failed authentication');
    expect(() => decryptSecret(ring, envelope.replace(/^v1/, 'v2'), context)).toThrowError('malformed secret');
    expect(() => decryptSecret(ring, envelope.slice(0, -2), context)).toThrowError('malformed secret');
    expect(() => decryptSecret(ring, `${envelope}.x`, context)).toThrowError('malformed secret');
    expect(() => decryptSecret(ring, 'plaintext-token', context)).toThrowError('malformed secret');
  });

  it('rejects a tag re-encoded with different spare bits (base64url parts must be exact)', () => {
    const envelope = encryptSecret(ring, 'token', context);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The tag's 16 bytes fill 21 characters and 2 bits of the 22nd; its low 4 bits are spare.
    const last = alphabet.indexOf(envelope.at(-1)!);
    const respelled = envelope.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelled.split('.')[4]!, 'base64url')).toEqual(Buffer.from(envelope.split('.')[4]!, 'base64url'));
    expect(() => decryptSecret(ring, respelled, context)).toThrowError('malformed secret');
    expect(isEncrypted(respelled)).toBe(false);
  });

  it('rejects an envelope read with another context (copied to another column or row)', () => {
    const envelope = encryptSecret(ring, 'token', context);
    expect(() => decryptSecret(ring, envelope, 'Account.access_token:row2')).toThrowError('secret failed authentication');
    expect(() => decryptSecret(ring, envelope, 'Account.refresh_token:row1')).toThrowError('secret failed authentication');
    expect(() => decryptSecret(ring, envelope)).toThrowError('secret failed authentication');
  });

  it('rejects an envelope under a key the ring does not have, naming the key id', () => {
    const other = parseKeyRing(`gone:${generateKey()}`);
    const envelope = encryptSecret(other, 'token', context);
    expect(() => decryptSecret(ring, envelope, context)).toThrowError('unknown key id gone');
  });

  it('rejects an envelope sealed by a different key under the same id', () => {
    const impostor = parseKeyRing(`main:${generateKey()}`);
    expect(() => decryptSecret(ring, encryptSecret(impostor, 'token'))).toThrowError('secret failed authentication');
  });
});

describe('rotation', () => {
  const rotated = parseKeyRing(`new:${newKey},old:${oldKey}`);
  const before = parseKeyRing(`old:${oldKey}`);

  it('encrypts with the first key and decrypts with any', () => {
    expect(rotated.current.id).toBe('new');
    expect([...rotated.byId.keys()]).toEqual(['new', 'old']);
    const old = encryptSecret(before, 'token', context);
    expect(decryptSecret(rotated, old, context)).toBe('token');
    expect(encryptSecret(rotated, 'token', context)).toMatch(/^v1\.new\./);
  });

  it('rewrapSecret moves old envelopes to the first key and leaves current ones alone', () => {
    const old = encryptSecret(before, 'token', context);
    const moved = rewrapSecret(rotated, old, context);
    expect(moved).toMatch(/^v1\.new\./);
    expect(decryptSecret(rotated, moved, context)).toBe('token');
    expect(decryptSecret(parseKeyRing(`new:${newKey}`), moved, context)).toBe('token');
    expect(rewrapSecret(rotated, moved, context)).toBe(moved);
  });

  it('rewrapSecret still checks the context', () => {
    const old = encryptSecret(before, 'token', context);
    expect(() => rewrapSecret(rotated, old, 'Account.access_token:row2')).toThrowError('secret failed authentication');
    const current = encryptSecret(rotated, 'token', context);
    expect(() => rewrapSecret(rotated, current, 'Account.access_token:row2')).toThrowError('secret failed authentication');
  });
});

describe('signWith and verifyWith', () => {
  it('signs the same way wherever the same keys are, and verifies only that purpose and data', () => {
    const signature = signWith(ring, 'calendar:form', 'cal-1');
    expect(signature).toMatch(/^[\w-]{43}$/);
    expect(signWith(parseKeyRing(`main:${oldKey}`), 'calendar:form', 'cal-1')).toBe(signature);
    expect(verifyWith(ring, 'calendar:form', 'cal-1', signature)).toBe(true);
    expect(verifyWith(ring, 'calendar:link', 'cal-1', signature)).toBe(false);
    expect(verifyWith(ring, 'calendar:form', 'cal-2', signature)).toBe(false);
    expect(verifyWith(ring, 'calendar:form', 'cal-1', signature.slice(1))).toBe(false);
    expect(verifyWith(ring, 'calendar:form', 'cal-1', '')).toBe(false);
    expect(verifyWith(parseKeyRing(`main:${newKey}`), 'calendar:form', 'cal-1', signature)).toBe(false);
  });

  it('never signs with the encryption key itself (HKDF per purpose)', () => {
    const plain = createHmac('sha256', Buffer.from(oldKey, 'base64')).update('cal-1').digest('base64url');
    expect(signWith(ring, 'calendar:form', 'cal-1')).not.toBe(plain);
  });

  it('signs with the first key and verifies with any, until the old key is removed', () => {
    const old = signWith(parseKeyRing(`old:${oldKey}`), 'p', 'd');
    const rotated = parseKeyRing(`new:${newKey},old:${oldKey}`);
    expect(signWith(rotated, 'p', 'd')).not.toBe(old);
    expect(verifyWith(rotated, 'p', 'd', old)).toBe(true);
    expect(verifyWith(rotated, 'p', 'd', signWith(rotated, 'p', 'd'))).toBe(true);
    expect(verifyWith(parseKeyRing(`new:${newKey}`), 'p', 'd', old)).toBe(false);
  });
});

describe('parseKeyRing', () => {
  const short = Buffer.alloc(16, 1).toString('base64');

  function messageOf(value: string): string {
    try {
      parseKeyRing(value);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('parseKeyRing did not throw');
  }

  it('reads ids and keys, trimming spaces', () => {
    const parsed = parseKeyRing(` a:${oldKey} , b_2-x:${newKey} `);
    expect(parsed.current.id).toBe('a');
    expect(parsed.current.key.equals(Buffer.from(oldKey, 'base64'))).toBe(true);
    expect(parsed.byId.get('b_2-x')?.equals(Buffer.from(newKey, 'base64'))).toBe(true);
  });

  it('names the entry with a key of the wrong length, without echoing the key', () => {
    const message = messageOf(`good:${oldKey},short:${short}`);
    expect(message).toMatch(/entry 2 \("short"\).*16 bytes.*exactly 32 bytes/);
    expect(message).not.toContain(short);
    expect(message).not.toContain(oldKey);
  });

  it('names the entry with a key that is not base64', () => {
    expect(messageOf(`good:${oldKey},bad:${oldKey.slice(0, -2)}!!`)).toMatch(/entry 2 \("bad"\).*not valid base64/);
  });

  it('names the entry with a bad id', () => {
    expect(messageOf(`has space:${oldKey}`)).toMatch(/entry 1: the key id must be/);
    expect(messageOf(`good:${oldKey},${'x'.repeat(33)}:${newKey}`)).toMatch(/entry 2: the key id must be/);
    expect(messageOf(`:${oldKey}`)).toMatch(/entry 1: the key id must be/);
  });

  it('names an entry without an id, without echoing the key', () => {
    const message = messageOf(`good:${oldKey},${newKey}`);
    expect(message).toMatch(/entry 2 has no ":"/);
    expect(message).not.toContain(newKey);
  });

  it('rejects an empty value, empty entries and repeated ids', () => {
    expect(messageOf('')).toMatch(/SECRETS_KEYS is empty; expected <keyId>:<base64 of 32 bytes>/);
    expect(messageOf('  ')).toMatch(/SECRETS_KEYS is empty/);
    expect(messageOf(`a:${oldKey},,b:${newKey}`)).toMatch(/entry 2 is empty/);
    expect(messageOf(`a:${oldKey},a:${newKey}`)).toMatch(/entry 2: key id "a" appears more than once/);
  });
});

describe('loadKeyRing', () => {
  it('uses SECRETS_KEYS when set, in production or not', () => {
    withTempDir((dir) => {
      for (const production of [true, false]) {
        const loaded = loadKeyRing({ env: { SECRETS_KEYS: `k1:${oldKey}` }, dataDir: dir, production });
        expect(loaded.current.id).toBe('k1');
      }
      expect(() => statSync(path.join(dir, 'secrets.keys'))).toThrow();
    });
  });

  it('generates a development key file with mode 0600 and reuses it', () => {
    withTempDir((root) => {
      const dataDir = path.join(root, 'nested', '.data');
      const logs: string[] = [];
      const log = (msg: string) => logs.push(msg);
      const first = loadKeyRing({ env: {}, dataDir, production: false, log });
      const file = path.join(dataDir, 'secrets.keys');
      expect(first.current.id).toMatch(/^dev-\d{8}$/);
      expect(readFileSync(file, 'utf8')).toMatch(/^dev-\d{8}:[A-Za-z0-9+/]{43}=\n$/);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain('development');
      expect(logs[0]).toContain(file);

      const second = loadKeyRing({ env: { SECRETS_KEYS: '' }, dataDir, production: false, log });
      expect(second.current.id).toBe(first.current.id);
      expect(second.current.key.equals(first.current.key)).toBe(true);
      expect(logs).toHaveLength(1);
      expect(decryptSecret(second, encryptSecret(first, 'token', context), context)).toBe('token');
    });
  });

  it('reports a key file that is wrong instead of replacing it', () => {
    withTempDir((dataDir) => {
      const file = path.join(dataDir, 'secrets.keys');
      const bad = `dev:${Buffer.alloc(8).toString('base64')}\n`;
      writeFileSync(file, bad, { mode: 0o600 });
      expect(() => loadKeyRing({ env: {}, dataDir, production: false, log: () => {} })).toThrowError(
        `${file} entry 1 ("dev"): the key is 8 bytes`,
      );
      expect(readFileSync(file, 'utf8')).toBe(bad);
    });
  });

  it('refuses to start in production without SECRETS_KEYS, saying how to make one', () => {
    withTempDir((dataDir) => {
      for (const env of [{}, { SECRETS_KEYS: '' }]) {
        let message = '';
        try {
          loadKeyRing({ env, dataDir, production: true, log: () => {} });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toContain('SECRETS_KEYS is not set');
        expect(message).toContain(`node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`);
        expect(message).toContain('SECRETS_KEYS=<keyId>:<key>');
      }
      expect(() => statSync(path.join(dataDir, 'secrets.keys'))).toThrow();
    });
  });
});
