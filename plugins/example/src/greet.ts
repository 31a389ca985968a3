import { defineAction } from '@soshogle/core';
import { z } from 'zod';
import { exampleConfig } from './config.ts';

export const greet = defineAction({
  config: exampleConfig,
  name: 'greet',
  version: 1,
  displayName: 'Greet someone',
  description: 'Builds a greeting from the configured salutation and a name.',
  props: z.object({
    name: z.string().trim().min(1).max(100).describe('Who to greet'),
    punctuation: z.enum(['!', '.']).default('!').describe('How the greeting ends'),
  }),
  output: z.object({ message: z.string() }),
  idempotent: true,
  async run({ props, config }) {
    return { message: `${config.greeting}, ${props.name}${props.punctuation}` };
  },
});
