// The appointments part of the calendar plugin: what it adds to the plugin's declaration.
import type { PluginPieces } from '../pieces.ts';
import { appointmentTriggers } from './triggers.ts';

export const appointmentPieces: PluginPieces = {
  triggers: appointmentTriggers,
};
