// What a node card says about its step: kind, title and a one-line summary.
import type { NodeText } from './canvas-context.ts';
import { describeRule, type FieldOption } from './conditions.ts';
import { iconOf, kindLabels, tones } from './icons.ts';
import type { CatalogAction, CatalogTrigger, Definition, Step } from './types.ts';

const plural = (n: number, unit: string) => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;

export function nodeText(
  step: Step | null,
  ctx: { definition: Pick<Definition, 'triggerKey' | 'triggerFilter' | 'conditions'>; triggers: CatalogTrigger[]; actions: CatalogAction[]; fields: FieldOption[] },
): NodeText {
  if (!step) {
    const { triggerKey, triggerFilter, conditions } = ctx.definition;
    const trigger = ctx.triggers.find((t) => t.key === triggerKey);
    const filter = Object.entries(triggerFilter ?? {})
      .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`)
      .join(', ');
    const condition = conditions ? ' · with a condition' : '';
    return { kind: kindLabels.trigger, title: trigger?.displayName ?? triggerKey, subtitle: `${filter || 'Any'}${condition}`, icon: iconOf('trigger'), tone: tones.trigger };
  }
  const base = { kind: kindLabels[step.type], icon: iconOf(step.type), tone: tones[step.type] };
  switch (step.type) {
    case 'action': {
      const action = ctx.actions.find((a) => a.key === step.action);
      const first = Object.values(step.props ?? {}).find((v) => typeof v === 'string' && v.trim()) as string | undefined;
      return { ...base, kind: action && action.plugin !== 'Soshogle' ? action.plugin : 'Action', icon: iconOf('action', step.action), title: step.name || action?.displayName || step.action, subtitle: first ?? 'Not set up yet' };
    }
    case 'branch':
      return { ...base, title: step.name || 'If / else', subtitle: describeRule(step.condition, ctx.fields) };
    case 'wait': {
      const w = step.wait;
      const subtitle =
        w.mode === 'duration' ? `For ${plural(w.amount, w.unit)}`
        : w.mode === 'time_of_day' ? `Until ${w.time}${w.days ? ` on ${w.days.join(', ')}` : ''}`
        : w.mode === 'relative' ? `Until ${plural(w.amount, w.unit)} ${w.direction} ${w.to}`
        : `For "${ctx.triggers.find((t) => t.key === w.event)?.displayName ?? w.event}", up to ${plural(w.timeout.amount, w.timeout.unit)}`;
      return { ...base, title: step.name || 'Wait', subtitle };
    }
    case 'goal':
      return {
        ...base,
        title: step.name || `Goal: ${ctx.triggers.find((t) => t.key === step.event)?.displayName ?? step.event}`,
        subtitle: `If not met: ${step.ifNotMet === 'wait' ? 'wait for it' : step.ifNotMet === 'end' ? 'end' : 'continue'}`,
      };
    case 'end':
      return { ...base, title: step.name || 'End', subtitle: 'The run ends here' };
  }
}
