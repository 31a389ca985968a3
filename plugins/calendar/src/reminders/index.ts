// The reminders part of the calendar plugin: what it adds to the plugin's declaration.
import type { PluginPieces } from '../pieces.ts';

export const reminderPieces: PluginPieces = {};
