// What the tenancy mechanism needs to know about the schema, read from the schema files
// themselves (the generated client's runtime model omits which scalar backs a relation).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaDir } from './paths.ts';

export interface ModelReference {
  /** The scalar foreign key, e.g. `contactId`. */
  field: string;
  /** The relation field, e.g. `contact`. */
  relation: string;
  /** The model it points at, e.g. `Contact`. */
  target: string;
  /** A composite foreign key (field, userId) -> (id, userId): the database refuses another tenant's row. */
  tenantChecked: boolean;
}

export interface ModelInfo {
  /** Has `userId` pointing at User: the row belongs to that tenant. */
  tenantOwned: boolean;
  /** Relations this model holds the foreign key of (single-column, or composite with userId). */
  references: ModelReference[];
  /** Every relation field (either side) and the model it leads to. */
  relations: Record<string, string>;
}

export function readModelMap(dir = schemaDir): Record<string, ModelInfo> {
  const text = readdirSync(dir)
    .filter((n) => n.endsWith('.prisma'))
    .map((n) => readFileSync(path.join(dir, n), 'utf8'))
    .join('\n');
  const map: Record<string, ModelInfo> = {};
  const blocks = [...text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(blocks.map((b) => b[1]!));
  for (const [, model, body] of blocks) {
    const relations: Record<string, string> = {};
    for (const [, field, type] of body!.matchAll(/^\s*(\w+)\s+(\w+)(?:\[\]|\?)?(?:\s|$)/gm)) {
      if (modelNames.has(type!)) relations[field!] = type!;
    }
    const references: ModelReference[] = [];
    for (const line of body!.split('\n')) {
      const m = /^\s*(\w+)\s+(\w+)\??\s.*@relation\((.*)\)/.exec(line);
      const fields = m && /fields:\s*\[([^\]]+)\]/.exec(m[3]!);
      if (!m || !fields) continue;
      // (contactId, userId): a composite key to another tenant-owned row; its own column is the first.
      const columns = fields[1]!.split(',').map((f) => f.trim());
      const own = columns.length === 1 ? columns[0]! : columns.find((c) => c !== 'userId');
      if (own) references.push({ field: own, relation: m[1]!, target: m[2]!, tenantChecked: columns.includes('userId') && own !== 'userId' });
    }
    map[model!] = {
      tenantOwned: references.some((r) => r.field === 'userId' && r.target === 'User'),
      references,
      relations,
    };
  }
  return map;
}

/** The Prisma client property of a model: `DealContact` -> `dealContact`. */
export function delegateName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}
