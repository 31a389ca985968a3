// Who is signed in (and which account they act in), loaded once per page load from
// GET /api/auth/session; the catalog says which plugins (and so which screens) exist.
import { api, setCsrfToken, type Schema } from './api.ts';

/** An account, as GET /api/auth/session answers it. */
export type User = Schema<'User'>;

/** A screen in the navigation: the core's own, or one a plugin declares in the catalog. */
export type Screen = Schema<'Screen'>;

export type Catalog = Schema<'Catalog'>;
export type CatalogPlugin = Catalog['plugins'][number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read by the forms built from it, any shape
export type JsonSchema = Record<string, any>;

export const session = $state<{ user: User | null; actingAs: User | null; twoFactorSetupRequired: boolean; loaded: boolean; catalog: Catalog | null }>({
  user: null,
  actingAs: null,
  twoFactorSetupRequired: false,
  loaded: false,
  catalog: null,
});

export async function loadSession(): Promise<User | null> {
  try {
    const s = await api.get('/auth/session');
    session.user = s.user;
    session.actingAs = s.actingAs;
    session.twoFactorSetupRequired = s.twoFactorSetupRequired;
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
  session.catalog ??= await api.get('/catalog');
  return session.catalog;
}

/** Whether a plugin is enabled on this installation (its screens show only then). */
export function hasPlugin(name: string): boolean {
  return !!session.catalog?.plugins.some((p) => p.name === name);
}

/** The core's own screens; every other screen comes from an enabled plugin in the catalog. */
const coreScreens: Screen[] = [
  { path: '/', label: 'Dashboard', icon: 'M3 13h8V3H3zm10 8h8V11h-8zM3 21h8v-6H3zm10-18v6h8V3z', order: 0 },
  { path: '/workflows', label: 'Workflows', icon: 'M5 3v6m0 6v6M5 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zm4 3h6m4-9v18', order: 80 },
  { path: '/settings', label: 'Settings', icon: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm0-5v3m0 12v3M3 12h3m12 0h3', order: 90 },
];

/** The navigation: the core's screens and those of the enabled plugins, in their order. */
export function screens(): Screen[] {
  const fromPlugins = session.catalog?.plugins.flatMap((p) => p.screens ?? []) ?? [];
  return [...coreScreens, ...fromPlugins].sort((a, b) => a.order - b.order);
}

/** The screen a path belongs to (`/contacts/42` is Contacts'); none when its plugin is not enabled. */
export function screenOf(pathname: string): Screen | undefined {
  return screens()
    .filter((s) => (s.path === '/' ? pathname === '/' : pathname === s.path || pathname.startsWith(`${s.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** The account being worked in: a sub-account the agency switched into, or the user's own. */
export function currentAccount(): User | null {
  return session.actingAs ?? session.user;
}
