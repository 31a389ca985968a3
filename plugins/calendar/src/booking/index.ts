// The booking part of the calendar plugin: what it adds to the plugin's declaration.
import type { PluginPieces } from '../pieces.ts';
import { manageRoutes } from './manage.ts';
import { publicRoutes } from './public-routes.ts';

export const bookingPieces: PluginPieces = {
  routes: [...publicRoutes, ...manageRoutes],
};
