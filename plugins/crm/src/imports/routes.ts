import type { AnyRoute } from '@soshogle/core';

// Arriving in its own commit.
export const importsRoutes: AnyRoute[] = [];
