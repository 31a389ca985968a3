// The settings screens' types of the CRM's tags and custom fields (from the API's schemas).
import type { Schema } from '../api.ts';

export type Tag = Schema<'Tag'>;
export type CustomField = Schema<'CustomField'>;
export type FieldType = CustomField['type'];
