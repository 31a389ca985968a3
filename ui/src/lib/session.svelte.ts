// Who is signed in (and which account they act in), loaded once per page load from
// GET /api/auth/session; the catalog says which plugins (and so which screens) exist.
import { api, setCsrfToken } from './api.ts';

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: 'USER' | 'ADMIN' | 'AGENCY' | 'SUB_ACCOUNT';
  emailVerified: boolean;
  timezone: string | null;
  onboardingStep: number;
  onboardingComplete: boolean;
  businessName: string | null;
  agencyId: string | null;
}

export interface CatalogPlugin {
  name: string;
  displayName: string;
  description?: string;
  triggers: { key: string; displayName: string; description?: string; payloadSchema: JsonSchema; filterSchema: JsonSchema }[];
  actions: { key: string; version: number; displayName: string; description?: string; idempotent?: boolean; propsSchema: JsonSchema; outputSchema: JsonSchema }[];
}
export interface Catalog {
  stepSchema: JsonSchema;
  plugins: CatalogPlugin[];
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

export const session = $state<{ user: User | null; actingAs: User | null; loaded: boolean; catalog: Catalog | null }>({
  user: null,
  actingAs: null,
  loaded: false,
  catalog: null,
});

export async function loadSession(): Promise<User | null> {
  try {
    const s = await api.get<{ user: User; csrfToken: string | null; actingAs: User | null }>('/auth/session');
    session.user = s.user;
    session.actingAs = s.actingAs;
    setCsrfToken(s.csrfToken);
  } catch {
    session.user = null;
    session.actingAs = null;
    setCsrfToken(null);
  }
  session.loaded = true;
  return session.user;
}

export async function loadCatalog(): Promise<Catalog> {
  session.catalog ??= await api.get<Catalog>('/catalog');
  return session.catalog;
}

/** Whether a plugin is enabled on this installation (its screens show only then). */
export function hasPlugin(name: string): boolean {
  return !!session.catalog?.plugins.some((p) => p.name === name);
}

/** The account being worked in: a sub-account the agency switched into, or the user's own. */
export function currentAccount(): User | null {
  return session.actingAs ?? session.user;
}
