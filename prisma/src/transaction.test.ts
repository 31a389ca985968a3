// `$transaction` on driver transactions (transaction.ts): the same contract as Prisma's own.
import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, driverConnection } from './client.ts';

const url = await createTestDatabase();
const db = createPrismaClient(url, { max: 2 });
const other = createPrismaClient(url);
let userId = '';

beforeAll(async () => {
  const user = await db.user.create({ data: { email: `tx-${Date.now()}@example.com`, name: 'Tx' } });
  userId = user.id;
});

afterAll(async () => {
  await db.$disconnect();
  await other.$disconnect();
});

const note = (body: string) => ({ data: { userId, content: body } });
const notes = (client = other) => client.note.findMany({ where: { userId }, orderBy: { content: 'asc' }, select: { content: true } }).then((r) => r.map((n) => n.content));

describe('$transaction on the driver', () => {
  it('commits everything the callback wrote, and nothing is visible to others before', async () => {
    await db.$transaction(async (tx) => {
      await tx.note.create(note('a1'));
      await tx.note.create(note('a2'));
      expect(await notes()).not.toContain('a1');
      expect(await notes(tx as typeof db)).toEqual(expect.arrayContaining(['a1', 'a2']));
    });
    expect(await notes()).toEqual(expect.arrayContaining(['a1', 'a2']));
  });

  it('rolls back everything when the callback throws', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await tx.note.create(note('b1'));
        await tx.$executeRaw`insert into "Note" (id, "userId", content, "updatedAt") values (gen_random_uuid(), ${userId}, 'b2', now())`;
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await notes()).not.toContain('b1');
    expect(await notes()).not.toContain('b2');
  });

  it('keeps the client it was made from (and clients extended from that) outside the transaction, as Prisma does', async () => {
    const extended = db.$extends({});
    await expect(
      db.$transaction(async (tx) => {
        await tx.note.create(note('c1'));
        await extended.note.create(note('c2')); // committed at once, on its own
        expect(await notes(db)).not.toContain('c1');
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await notes()).not.toContain('c1');
    expect(await notes()).toContain('c2');
  });

  it('sends the transaction client of an extended client into the transaction', async () => {
    const extended = db.$extends({});
    await expect(
      extended.$transaction(async (tx) => {
        await tx.note.create(note('c3'));
        await tx.$executeRaw`insert into "Note" (id, "userId", content, "updatedAt") values (gen_random_uuid(), ${userId}, 'c4', now())`;
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await notes()).not.toContain('c3');
    expect(await notes()).not.toContain('c4');
  });

  it('makes a transaction inside a transaction a savepoint: its failure undoes only its own writes', async () => {
    await db.$transaction(async (tx) => {
      await tx.note.create(note('d1'));
      await expect(
        tx.$transaction(async (inner) => {
          await inner.note.create(note('d2'));
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.$transaction([tx.note.create(note('d3'))]);
    });
    const seen = await notes();
    expect(seen).toEqual(expect.arrayContaining(['d1', 'd3']));
    expect(seen).not.toContain('d2');
  });

  it("never gathers a transaction's findUnique with the plain client's findUniques of the same tick", async () => {
    const committed = await db.note.create(note('h1'));
    await db.$transaction(async (tx) => {
      const uncommitted = await tx.note.create(note('h2'));
      // Prisma gathers same-shaped findUniques made in one tick and runs them where the first was made.
      const outsideRead = db.note.findUnique({ where: { id: committed.id } });
      void outsideRead.then(); // started first: the gathered query would run outside the transaction
      const [outside, inside] = await Promise.all([outsideRead, tx.note.findUnique({ where: { id: uncommitted.id } })]);
      expect(outside?.content).toBe('h1');
      expect(inside?.content).toBe('h2');
      await expect(tx.note.findUniqueOrThrow({ where: { id: 'no-such-note' } })).rejects.toMatchObject({ code: 'P2025' });
      // A compound unique key reads the same.
      const tag = await tx.tag.create({ data: { userId, name: 'h3' } });
      expect((await tx.tag.findUnique({ where: { userId_name: { userId, name: 'h3' } } }))?.id).toBe(tag.id);
    });
  });

  it('runs a batch in one transaction: a failing statement undoes the others', async () => {
    await expect(db.$transaction([db.note.create(note('e1')), db.$executeRaw`select 1/0`])).rejects.toThrow();
    expect(await notes()).not.toContain('e1');
    const [created, count] = await db.$transaction([db.note.create(note('e2')), db.note.count({ where: { userId, content: 'e2' } })]);
    expect(created.content).toBe('e2');
    expect(count).toBe(1);
  });

  it('takes the isolation level asked for', async () => {
    const level = await db.$transaction(async (tx) => (await tx.$queryRaw<{ l: string }[]>`select current_setting('transaction_isolation') as l`)[0]!.l, {
      isolationLevel: 'RepeatableRead',
    });
    expect(level).toBe('repeatable read');
  });

  it('maps database errors as Prisma does, and gives the connection back', async () => {
    const single = createPrismaClient(url, { max: 1 });
    try {
      const error = await single
        .$transaction(async (tx) => {
          await tx.note.create({ data: { userId: 'no-such-user', content: 'f1' } });
        })
        .catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('P2003');
      // With one connection in the pool, this only answers if the failed transaction gave it back.
      expect(await single.note.count({ where: { userId, content: 'f1' } })).toBe(0);
    } finally {
      await single.$disconnect();
    }
  });

  it('runs the transaction client on the pool once the transaction has ended, as the plain client would', async () => {
    let later: Promise<unknown> = Promise.resolve();
    await db.$transaction(async (tx) => {
      await tx.note.create(note('g1'));
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => tx.note.create(note('g2')));
    });
    await later;
    expect(await notes()).toEqual(expect.arrayContaining(['g1', 'g2']));
  });

  it('gives the transaction its own pg connection (driverConnection): what is sent on it commits or rolls back with the rest', async () => {
    const copyNote = async (tx: object, body: string) => {
      await driverConnection(tx).query(`insert into "Note" (id, "userId", content, "updatedAt") values (gen_random_uuid(), $1, $2, now())`, [userId, body]);
    };
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`create temp table driver_staging (content text) on commit drop`;
      // The same session: a temp table made through the client is there on the connection, and back.
      await driverConnection(tx).query(`insert into driver_staging values ('k1')`);
      expect(await tx.$queryRaw<{ content: string }[]>`select content from driver_staging`).toEqual([{ content: 'k1' }]);
      await copyNote(tx, 'k1');
      expect(await notes()).not.toContain('k1');
      // In a savepoint, and through an extended client's transaction, the same connection.
      await tx.$transaction(async (inner) => copyNote(inner, 'k2'));
    });
    expect(await notes()).toEqual(expect.arrayContaining(['k1', 'k2']));
    await db
      .$extends({})
      .$transaction(async (tx) => {
        await copyNote(tx, 'k3');
        throw new Error('undo');
      })
      .catch(() => {});
    expect(await notes()).not.toContain('k3');
  });

  it('refuses driverConnection outside a transaction and once it has ended', async () => {
    expect(() => driverConnection(db)).toThrow(/not the client of a \$transaction/);
    let ended: object = {};
    await db.$transaction(async (tx) => {
      ended = tx;
    });
    expect(() => driverConnection(ended)).toThrow(/transaction has ended/);
  });
});

describe('connections the server drops', () => {
  it('survives them, idle or in a transaction (a PostgreSQL restart): the work on them fails, the next gets a new one', async () => {
    // Its own connections, found by name, so terminating them touches nobody else's.
    const name = `dropped_${Date.now()}`;
    const lost: Error[] = [];
    const client = createPrismaClient(`${url}${url.includes('?') ? '&' : '?'}application_name=${name}`, { max: 2, onConnectionError: (e) => lost.push(e) });
    const terminate = () => other.$queryRaw`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`;
    try {
      await client.$queryRaw`select 1`;
      let inside!: () => void;
      const holding = new Promise<void>((resolve) => (inside = resolve));
      let go!: () => void;
      const resume = new Promise<void>((resolve) => (go = resolve));
      const transaction = client.$transaction(async (tx) => {
        await tx.note.create(note('dropped-1'));
        inside();
        await resume;
        await tx.note.create(note('dropped-2'));
      });
      transaction.catch(() => {});
      await holding;
      // One connection idle in the pool, one lent to the transaction, between two statements.
      await terminate();
      await expect.poll(() => lost.length, { timeout: 5000 }).toBe(2);
      go();
      await expect(transaction).rejects.toThrow();
      expect(await notes()).not.toContain('dropped-1');
      expect(await client.$queryRaw`select 1 as one`).toEqual([{ one: 1 }]);
      expect(lost.slice(0, 2).map((e) => e.message)).toEqual([expect.stringMatching(/terminat/i), expect.stringMatching(/terminat/i)]);
    } finally {
      await client.$disconnect();
    }
  });
});
