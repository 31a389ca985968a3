// The one tag rule of the CRM: tags match whatever their case, and a tenant keeps the
// spelling a tag was first given. "vip" added where the tenant has "VIP" is stored as
// "VIP"; a filter, a removal or a campaign for "vip" reaches contacts tagged "VIP".
// The tenant's Tag records are its spellings (every tag a contact carries gets one, see
// ensureTags), so writes look the spelling up there, and queries turn what they are
// given into the stored spellings first: the GIN index on Contact.tags keeps serving
// them, where lower() on every row could not.
import type { TenantTx } from '@soshogle/core';

/** What two spellings of one tag share. */
export const tagKey = (tag: string): string => tag.toLowerCase();

/** Whether `tags` holds `tag` in any case. */
export const hasTag = (tags: readonly string[], tag: string): boolean => tags.some((t) => tagKey(t) === tagKey(tag));

/** `tags` without repeats in another case: the first spelling and the order kept. */
export function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tagKey(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The tenant's Tag names for `tags` in any case, by key, oldest first. */
async function recordedSpellings(tx: TenantTx, tags: readonly string[]): Promise<Map<string, string[]>> {
  const keys = new Set(tags.map(tagKey));
  const byKey = new Map<string, string[]>();
  if (!keys.size) return byKey;
  const rows = await tx.tag.findMany({
    where: { OR: [...keys].map((key) => ({ name: { equals: key, mode: 'insensitive' as const } })) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { name: true },
  });
  // The database's case folding may match more than ours: ours decides.
  for (const { name } of rows) {
    const key = tagKey(name);
    if (keys.has(key)) byKey.set(key, [...(byKey.get(key) ?? []), name]);
  }
  return byKey;
}

/**
 * Spells tag lists the way the tenant stores them, for `tags` (every tag the lists will
 * hold), with one query: a tag takes the spelling it has in `own` (the contact's current
 * tags: a tag it carries is never rewritten), else the tenant's (its oldest Tag record
 * with that name in any case), else the first spelling of it in `tags`. Repeats in
 * another case are dropped.
 */
export async function tagSpeller(tx: TenantTx, tags: readonly string[]): Promise<(list: readonly string[], own?: readonly string[]) => string[]> {
  const recorded = await recordedSpellings(tx, tags);
  const first = new Map(uniqueTags(tags).map((tag) => [tagKey(tag), tag]));
  return (list, own = []) => {
    const owned = new Map(uniqueTags(own).map((tag) => [tagKey(tag), tag]));
    return uniqueTags(list.map((tag) => owned.get(tagKey(tag)) ?? recorded.get(tagKey(tag))?.[0] ?? first.get(tagKey(tag)) ?? tag));
  };
}

/** `tags` as the tenant stores them (see tagSpeller), for one contact carrying `own`. */
export async function storedTags(tx: TenantTx, tags: readonly string[], own: readonly string[] = []): Promise<string[]> {
  if (!tags.length) return [];
  return (await tagSpeller(tx, tags))(tags, own);
}

/**
 * For queries: each of `tags` as every spelling the tenant may store it under (its Tag
 * records in any case, and the tag as given), in the order given. Data from before this
 * rule can hold one tag in several spellings; each one is found.
 */
export async function tagSpellings(tx: TenantTx, tags: readonly string[]): Promise<string[][]> {
  const recorded = await recordedSpellings(tx, tags);
  return tags.map((tag) => [...new Set([tag, ...(recorded.get(tagKey(tag)) ?? [])])]);
}
