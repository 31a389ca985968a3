// What the canvas's node and edge components read from the builder, through Svelte
// context (they are created by @xyflow/svelte, so they get no props from the page).
import { getContext, setContext } from 'svelte';
import type { Slot } from './graph.ts';
import type { Step } from './types.ts';

export interface NodeText {
  kind: string;
  title: string;
  subtitle: string;
  icon: string;
  tone: string;
}

export interface CanvasContext {
  readonly selected: string | null;
  readonly issues: Record<string, string[]>;
  /** Step ids a dry run went through ('__trigger' included), or null. */
  readonly path: Set<string> | null;
  /** `source>target` of the links the dry run took. */
  readonly pathEdges: Set<string> | null;
  readonly readonly: boolean;
  text(step: Step | null): NodeText;
  select(id: string): void;
  insert(slot: Slot, label: string): void;
}

const key = Symbol('workflow-canvas');
export const setCanvas = (ctx: CanvasContext) => setContext(key, ctx);
export const canvas = () => getContext<CanvasContext>(key);
