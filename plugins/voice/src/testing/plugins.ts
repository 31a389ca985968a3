// Voice depends on the CRM (calls are to contacts) and messaging (its contact policy), so
// its tests start all three. They are found as the app finds plugins: a plugin imports no
// other plugin's files.
import { importPlugins, type PluginDefinition } from '@soshogle/core';
import voice from '../index.ts';

const [crm, messaging] = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);

/** The plugins a voice test starts: the CRM, messaging, voice, and `others`. */
export const voicePlugins = (...others: PluginDefinition[]): PluginDefinition[] => [crm!, messaging!, voice, ...others];
