// Re-encrypts every stored secret under the current (first) key of SECRETS_KEYS, so
// the old key can be removed. Safe to run again: secrets already under the current key
// are left as they are.
import { delegateName, type PrismaClient } from '@soshogle/db';
import type { Registry } from './plugin-host.ts';
import { rewrapSecret, type KeyRing } from './secrets.ts';

/** The core's own encrypted columns; plugins declare theirs in definePlugin. */
export const coreEncryptedColumns: Record<string, string[]> = {
  Account: ['access_token', 'refresh_token', 'id_token'],
  WebhookSecret: ['secret'],
  ProviderConnection: ['credentials'],
  User: ['twoFactorSecret'],
};

export function encryptedColumns(registry: Registry): Record<string, string[]> {
  const all: Record<string, string[]> = { ...coreEncryptedColumns };
  for (const { definition } of registry.plugins) {
    for (const [model, columns] of Object.entries(definition.encryptedColumns ?? {})) all[model] = [...(all[model] ?? []), ...columns];
  }
  return all;
}

type Delegate = {
  findMany(args: object): Promise<Record<string, unknown>[]>;
  update(args: object): Promise<unknown>;
};

/** Returns how many values were re-encrypted, per `Model.column`. */
export async function rotateSecrets(db: PrismaClient, ring: KeyRing, columns: Record<string, string[]>, batch = 500): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [model, names] of Object.entries(columns)) {
    const delegate = (db as unknown as Record<string, Delegate>)[delegateName(model)];
    if (!delegate) throw new Error(`No model ${model} for encrypted columns ${names.join(', ')}`);
    for (const name of names) counts[`${model}.${name}`] = 0;
    let cursor: string | undefined;
    for (;;) {
      const rows = await delegate.findMany({
        select: Object.fromEntries([['id', true], ...names.map((n) => [n, true])]),
        orderBy: { id: 'asc' },
        take: batch,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      for (const row of rows) {
        const data: Record<string, string> = {};
        for (const name of names) {
          const value = row[name];
          if (typeof value !== 'string') continue;
          const rewrapped = rewrapSecret(ring, value, `${model}.${name}:${String(row.id)}`);
          if (rewrapped !== value) data[name] = rewrapped;
        }
        if (Object.keys(data).length) {
          await delegate.update({ where: { id: row.id }, data });
          for (const name of Object.keys(data)) counts[`${model}.${name}`]! += 1;
        }
      }
      if (rows.length < batch) break;
      cursor = String(rows.at(-1)!.id);
    }
  }
  return counts;
}
