// The appointments part of the calendar plugin: what it adds to the plugin's declaration.
import type { PluginPieces } from '../pieces.ts';
import { appointmentRoutes } from './routes.ts';
import { appointmentTriggers } from './triggers.ts';

export const appointmentPieces: PluginPieces = {
  routes: appointmentRoutes,
  triggers: appointmentTriggers,
};
