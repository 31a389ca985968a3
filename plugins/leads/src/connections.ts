// The Google Places connection: each tenant saves its own API key, stored encrypted by the core.
import { defineConnection } from '@soshogle/core';
import { z } from 'zod';

/** Without it, lead searches run in sandbox mode with sample places. */
export const googlePlaces = defineConnection({
  provider: 'google_places',
  displayName: 'Google Places',
  description: 'Finds leads with the Places API (New) text search. Without a key, searches return sample places.',
  credentials: z.object({ apiKey: z.string().trim().min(20, 'A Google API key is at least 20 characters').max(200) }),
});

export interface GooglePlacesCredentials {
  apiKey: string;
}
