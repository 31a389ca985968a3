// The availability part of the calendar plugin: what it adds to the plugin's declaration.
import type { PluginPieces } from '../pieces.ts';
import { availabilityRoutes } from './routes.ts';

export const availabilityPieces: PluginPieces = {
  routes: availabilityRoutes,
};
