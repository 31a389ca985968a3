// Short notices after an action ("Contact saved"); errors stay until dismissed.
export interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error';
}
export const toasts = $state<Toast[]>([]);
let next = 1;
export function notify(text: string, kind: Toast['kind'] = 'ok'): void {
  const id = next++;
  toasts.push({ id, text, kind });
  if (kind === 'ok') setTimeout(() => dismiss(id), 4000);
}
export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
