/** The Peers view's lists of recent rejections and drops; no `vscode` here, so it is tested as it is. */
import type { UiEvent } from './protocol.js';

/** The newest `limit` distinct events of one verdict, and how many were seen in all. */
export class RecentEvents {
  private readonly byId = new Map<number, UiEvent>();
  total = 0;
  constructor(private readonly limit: number) {}
  get size(): number {
    return this.byId.size;
  }
  add(e: UiEvent): void {
    if (this.byId.has(e.id)) return;
    this.total++;
    this.byId.set(e.id, e);
    // Maps iterate in insertion order: the first key is the oldest kept.
    if (this.byId.size > this.limit) this.byId.delete(this.byId.keys().next().value as number);
  }
  newestFirst(): UiEvent[] {
    return [...this.byId.values()].reverse();
  }
  clear(): void {
    this.byId.clear();
    this.total = 0;
  }
}
