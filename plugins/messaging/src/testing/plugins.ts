// Messaging depends on the CRM (its conversations belong to contacts; unknown senders
// become contacts through crm.create_contact), so its tests start both. The CRM is found
// as the app finds plugins: a plugin imports no other plugin's files.
import { importPlugins, type PluginDefinition } from '@soshogle/core';
import messaging from '../index.ts';

const [crm] = await importPlugins(['@soshogle/plugin-crm']);

/** The plugins a messaging test starts: the CRM, messaging, and `others`. */
export const messagingPlugins = (...others: PluginDefinition[]): PluginDefinition[] => [crm!, messaging, ...others];
