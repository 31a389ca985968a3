// `pnpm bench:orm`: what one database operation costs the Node process, by the way it is
// made (node-postgres, Prisma raw, Prisma model queries, the tenant-scoped client,
// transactions). The engine's throughput is bounded by these (docs/performance.md).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, createPrismaClient, openDatabaseServer } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import pg from 'pg';
import { scopeToTenant, writesOnly } from '../src/tenancy.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'soshogle-bench-'));
const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDir, port: await freePort(), database: 'bench' });
await applyMigrations(server.url);
const db = createPrismaClient(server.url);
const pool = new pg.Pool({ connectionString: server.url, max: 4 });
pool.on('error', () => {});
try {
  const user = await db.user.create({ data: { email: `orm-${Date.now()}@example.test` } });
  const contact = await db.contact.create({ data: { userId: user.id, firstName: 'Ann' } });
  const scoped = scopeToTenant(db, user.id);
  const asCrm = writesOnly(scoped, 'crm', { owners: new Map([['Note', 'crm']]) });
  const time = async (name: string, n: number, op: () => Promise<unknown>) => {
    for (let i = 0; i < 100; i++) await op();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await op();
    const cpu = process.cpuUsage(cpu0);
    console.log(`${name.padEnd(44)} ${((performance.now() - t0) / n).toFixed(3)} ms wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms Node CPU`);
  };
  const note = { userId: user.id, content: 'x', contactId: contact.id };
  await time('node-postgres: select 1', 2000, () => pool.query('select 1'));
  await time('node-postgres: begin, select 1, commit', 1000, async () => {
    const client = await pool.connect();
    await client.query('begin');
    await client.query('select 1');
    await client.query('commit');
    client.release();
  });
  await time('Prisma $executeRaw: select 1', 2000, () => db.$executeRaw`select 1`);
  await time('Prisma interactive transaction + raw', 1000, () => db.$transaction(async (tx) => tx.$executeRaw`select 1`));
  await time('Prisma contact.findUnique', 2000, () => db.contact.findUnique({ where: { id: contact.id } }));
  await time('tenant-scoped contact.findUnique', 2000, () => scoped.contact.findUnique({ where: { id: contact.id } }));
  // Both checked by the database: (contactId, userId) is a composite foreign key.
  await time('Prisma note.create (unscoped)', 1000, () => db.note.create({ data: note, select: { id: true } }));
  await time('tenant-scoped note.create (stamped)', 1000, () => scoped.note.create({ data: note, select: { id: true } }));
  await time('plugin client note.create (+ ownership)', 1000, () => asCrm.note.create({ data: note, select: { id: true } }));
} finally {
  await db.$disconnect();
  await pool.end();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
