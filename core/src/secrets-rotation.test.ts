import { createPrismaClient } from '@soshogle/db';
import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRegistry } from './plugin-host.ts';
import { definePlugin } from './plugin.ts';
import { decryptSecret, encryptSecret, generateKey, parseKeyRing } from './secrets.ts';
import { encryptedColumns, rotateSecrets } from './secrets-rotation.ts';

const db = createPrismaClient(await createTestDatabase(), { max: 2 });
afterAll(() => db.$disconnect());

describe('rotateSecrets', () => {
  it('moves every secret to the new key, leaves plaintext-free rows alone, and can run twice', async () => {
    const oldRing = parseKeyRing(`old:${generateKey()}`);
    const user = await db.user.create({ data: { email: 'r@example.test' } });
    // Two-factor sign-in's TOTP secret is sealed for its own user row.
    await db.user.update({ where: { id: user.id }, data: { twoFactorSecret: encryptSecret(oldRing, 'JBSWY3DPEHPK3PXP', `User.twoFactorSecret:${user.id}`) } });
    const ids = ['acc1', 'acc2', 'acc3'];
    for (const id of ids) {
      await db.account.create({
        data: {
          id,
          userId: user.id,
          type: 'oauth',
          provider: 'google',
          providerAccountId: id,
          access_token: encryptSecret(oldRing, `access-${id}`, `Account.access_token:${id}`),
          refresh_token: id === 'acc3' ? null : encryptSecret(oldRing, `refresh-${id}`, `Account.refresh_token:${id}`),
        },
      });
    }
    await db.webhookSecret.create({ data: { id: 'whs1', userId: user.id, secret: encryptSecret(oldRing, 'whsec_1', 'WebhookSecret.secret:whs1') } });
    await db.providerConnection.create({
      data: { id: 'pc1', userId: user.id, plugin: 'crm', provider: 'google_places', credentials: encryptSecret(oldRing, '{"apiKey":"k"}', 'ProviderConnection.credentials:pc1') },
    });
    const ring = parseKeyRing(`new:${generateKey()},old:${oldRing.byId.get('old')!.toString('base64')}`);
    const columns = encryptedColumns(buildRegistry([definePlugin({ name: 'cal', displayName: '', description: '', encryptedColumns: { CalendarConnection: ['accessToken'] } })]));
    expect(columns).toEqual({
      Account: ['access_token', 'refresh_token', 'id_token'],
      WebhookSecret: ['secret'],
      ProviderConnection: ['credentials'],
      User: ['twoFactorSecret'],
      CalendarConnection: ['accessToken'],
    });

    expect(await rotateSecrets(db, ring, columns, 2)).toEqual({
      'Account.access_token': 3,
      'Account.refresh_token': 2,
      'Account.id_token': 0,
      'WebhookSecret.secret': 1,
      'ProviderConnection.credentials': 1,
      'User.twoFactorSecret': 1,
      'CalendarConnection.accessToken': 0,
    });
    const connection = await db.providerConnection.findUniqueOrThrow({ where: { id: 'pc1' } });
    const whs = await db.webhookSecret.findUniqueOrThrow({ where: { id: 'whs1' } });
    expect(decryptSecret(parseKeyRing(`new:${ring.current.key.toString('base64')}`), whs.secret, 'WebhookSecret.secret:whs1')).toBe('whsec_1');
    const newOnly = parseKeyRing(`new:${ring.current.key.toString('base64')}`);
    expect(decryptSecret(newOnly, connection.credentials, 'ProviderConnection.credentials:pc1')).toBe('{"apiKey":"k"}');
    const { twoFactorSecret } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(decryptSecret(newOnly, twoFactorSecret!, `User.twoFactorSecret:${user.id}`)).toBe('JBSWY3DPEHPK3PXP');
    for (const id of ids) {
      const row = await db.account.findUniqueOrThrow({ where: { id } });
      expect(row.access_token!.split('.')[1]).toBe('new');
      expect(decryptSecret(newOnly, row.access_token!, `Account.access_token:${id}`)).toBe(`access-${id}`);
    }
    expect(Object.values(await rotateSecrets(db, ring, columns))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
