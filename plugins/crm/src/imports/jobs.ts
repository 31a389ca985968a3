import type { JobDefinition } from '@soshogle/core';

// Arriving in its own commit.
export const importsJobs: JobDefinition[] = [];
