// The reminders part of the calendar plugin: what it adds to the plugin's declaration.
import type { PluginPieces } from '../pieces.ts';
import { sendReminder } from './send-job.ts';
import { reminderSubscribers } from './subscribers.ts';

export const reminderPieces: PluginPieces = {
  subscribers: reminderSubscribers,
  jobs: [sendReminder],
};
