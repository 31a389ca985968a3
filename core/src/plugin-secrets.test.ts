// ctx.secrets: a plugin seals what it must store but never show (OAuth tokens) under the
// installation's keys, bound to where it is stored, and key rotation re-encrypts it.
import { describe, expect, it } from 'vitest';
import { definePlugin } from './plugin.ts';
import { encryptSecret, generateKey, isEncrypted, parseKeyRing, SecretError } from './secrets.ts';
import { encryptedColumns, rotateSecrets } from './secrets-rotation.ts';
import { startTestSoshogle } from './testing/index.ts';

const oldKey = generateKey();
const oldRing = parseKeyRing(`old:${oldKey}`);
const vault = definePlugin({
  name: 'vault',
  displayName: 'Vault',
  description: 'Keeps a calendar connection token, for this test',
  models: ['CalendarConnection'],
  contactData: { none: 'a connection token, for this test' },
  encryptedColumns: { CalendarConnection: ['accessToken'] },
});
const soshogle = await startTestSoshogle([vault], { SECRETS_KEYS: `new:${generateKey()},old:${oldKey}` });
const { secrets } = soshogle.contextFor('vault');
const user = await soshogle.db.user.create({ data: { email: 'vault@example.test' } });

describe('ctx.secrets', () => {
  it('seals under the current key and opens with the same context only', () => {
    const context = 'CalendarConnection.accessToken:conn-1';
    const sealed = secrets.seal('ya29.token', context);
    expect(isEncrypted(sealed)).toBe(true);
    expect(sealed).not.toContain('ya29');
    expect(sealed.split('.')[1]).toBe('new');
    expect(secrets.seal('ya29.token', context)).not.toBe(sealed);
    expect(secrets.open(sealed, context)).toBe('ya29.token');
    expect(() => secrets.open(sealed, 'CalendarConnection.accessToken:conn-2')).toThrow(SecretError);
    expect(() => secrets.open('ya29.token', context)).toThrow(SecretError);
  });

  it("opens what an older key sealed, and rotation moves a plugin's column to the current key", async () => {
    const row = await soshogle.db.calendarConnection.create({ data: { userId: user.id, provider: 'google' } });
    const context = `CalendarConnection.accessToken:${row.id}`;
    await soshogle.db.calendarConnection.update({ where: { id: row.id }, data: { accessToken: encryptSecret(oldRing, 'old-token', context) } });
    const before = (await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: row.id } })).accessToken!;
    expect(secrets.open(before, context)).toBe('old-token');
    expect(await rotateSecrets(soshogle.db, soshogle.keyRing, encryptedColumns(soshogle.registry))).toMatchObject({ 'CalendarConnection.accessToken': 1 });
    const after = (await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: row.id } })).accessToken!;
    expect(after.split('.')[1]).toBe('new');
    expect(secrets.open(after, context)).toBe('old-token');
  });
});
