// A form's definition and its answers, as the forms plugin defines them: the builder, the
// preview and the public page share these types (and its rules) with the API.
export type { Definition, FieldType, ContactFieldName as ContactField, FormField } from '@soshogle/plugin-forms/definition';
export type { Answer, Answers } from '@soshogle/plugin-forms/answers';
