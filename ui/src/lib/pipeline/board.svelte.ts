// The board's state: one column per stage with its totals and the deals shown so far.
// Moves are optimistic (the card and the totals change at once) and roll back when the
// API refuses; the exact sums then come from the server again.
import { api, ApiError, errorMessage } from '../api.ts';
import { notify } from '../components/toasts.svelte.ts';
import { defaultProbability, stageLabel, stages, type CurrencyTotal, type DealCard, type DealDetail, type DealStage } from './deals.ts';

export const pageSize = 25;

export interface Column {
  stage: DealStage;
  totals: CurrencyTotal[];
  deals: DealCard[];
  /** Where "load more" continues in GET /deals?stage=; null once every deal is listed. */
  cursor: string | null;
  started: boolean;
  loadingMore: boolean;
}

const fixed = (n: number) => n.toFixed(4);

/** Adds `count` deals worth `value` (and `weighted`) in `currency` to a column's totals. */
function addToTotals(totals: CurrencyTotal[], currency: string, count: number, value: number, weighted: number): CurrencyTotal[] {
  const next = totals.map((t) => ({ ...t }));
  let row = next.find((t) => t.currency === currency);
  if (!row) next.push((row = { currency, count: 0, value: '0', weightedValue: '0' }));
  row.count += count;
  row.value = fixed(Number(row.value) + value);
  row.weightedValue = fixed(Number(row.weightedValue) + weighted);
  return next.filter((t) => t.count > 0).sort((a, b) => a.currency.localeCompare(b.currency));
}

export const columnCount = (c: Column) => c.totals.reduce((n, t) => n + t.count, 0);

export class Board {
  columns = $state<Column[]>([]);
  loading = $state(true);
  error = $state<unknown>(null);

  column(stage: DealStage): Column {
    return this.columns.find((c) => c.stage === stage)!;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const board = await api.get('/crm/deals/board', { query: { limit: pageSize } });
      this.columns = board.stages.map((s) => ({ stage: s.stage, totals: s.totals, deals: s.deals, cursor: null, started: false, loadingMore: false }));
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  // Sums from the server must not undo a newer optimistic change: an answer counts only if
  // it is the latest asked for, no move is waiting for the API, and nothing changed since.
  private changes = 0;
  private pending = 0;
  private refreshes = 0;

  /** The exact totals from the server (one deal per stage is enough: only the sums are used). */
  async refreshTotals(): Promise<void> {
    const mine = ++this.refreshes;
    const at = this.changes;
    try {
      const board = await api.get('/crm/deals/board', { query: { limit: 1 } });
      if (mine !== this.refreshes || at !== this.changes || this.pending) return;
      for (const s of board.stages) {
        const column = this.columns.find((c) => c.stage === s.stage);
        if (column) column.totals = s.totals;
      }
    } catch {
      // The optimistic sums stay; the next load corrects them.
    }
  }

  /**
   * The board lists the most recently updated deals of each stage; the rest come from the
   * deal list (newest first), skipping the ones already shown.
   */
  async loadMore(stage: DealStage): Promise<void> {
    const column = this.column(stage);
    if (column.loadingMore) return;
    column.loadingMore = true;
    try {
      let added = 0;
      while (added === 0) {
        if (column.started && column.cursor === null) break;
        const page = await api.list('/crm/deals', { query: { stage, limit: pageSize, cursor: column.cursor ?? undefined } });
        column.started = true;
        column.cursor = page.nextCursor;
        const shown = new Set(column.deals.map((d) => d.id));
        const fresh = page.items.filter((d) => !shown.has(d.id));
        column.deals.push(...fresh);
        added += fresh.length;
      }
    } catch (e) {
      notify(errorMessage(e), 'error');
    } finally {
      column.loadingMore = false;
    }
  }

  /** Puts a deal at the top of another stage now, and asks the API; puts it back if refused. */
  async move(dealId: string, to: DealStage): Promise<void> {
    const from = this.columns.find((c) => c.deals.some((d) => d.id === dealId));
    if (!from || from.stage === to) return;
    const target = this.column(to);
    const deal = from.deals.find((d) => d.id === dealId)!;
    const before = { ...deal };
    const moved: DealCard = { ...deal, stage: to, probability: defaultProbability[to] };
    this.shift(from, target, before, moved);
    this.pending++;
    let refused: unknown = null;
    try {
      await api.patch('/crm/deals/{id}', { path: { id: dealId }, body: { stage: to } });
    } catch (e) {
      refused = e;
    } finally {
      this.pending--;
    }
    if (!refused) {
      notify(`"${deal.title}" moved to ${stageLabel[to]}`);
    } else if (refused instanceof ApiError && refused.status === 404) {
      // Deleted elsewhere: putting it back would show a deal that no longer exists.
      this.changes++;
      target.deals = target.deals.filter((d) => d.id !== dealId);
      notify(`"${deal.title}" was deleted meanwhile`, 'error');
    } else {
      // Only undo if nothing moved the card again meanwhile.
      if (target.deals.some((d) => d.id === dealId)) this.shift(target, from, moved, before);
      notify(`Could not move "${deal.title}": ${errorMessage(refused)}`, 'error');
    }
    await this.refreshTotals();
  }

  private shift(from: Column, to: Column, was: DealCard, now: DealCard) {
    this.changes++;
    const value = Number(was.value);
    from.deals = from.deals.filter((d) => d.id !== was.id);
    from.totals = addToTotals(from.totals, was.currency, -1, -value, (-value * was.probability) / 100);
    to.deals = [now, ...to.deals];
    to.totals = addToTotals(to.totals, now.currency, 1, value, (value * now.probability) / 100);
  }

  /** A deal made in the "New deal" dialog goes to the top of its column. */
  added(deal: DealDetail): void {
    this.changes++;
    const column = this.column(deal.stage);
    const primary = deal.contacts.find((c) => c.isPrimary);
    const card: DealCard = { ...deal, primaryContact: primary ? { id: primary.id, firstName: primary.firstName, lastName: primary.lastName } : null };
    column.deals = [card, ...column.deals];
    column.totals = addToTotals(column.totals, deal.currency, 1, Number(deal.value), (Number(deal.value) * deal.probability) / 100);
    void this.refreshTotals();
  }
}

export { stages };
