/**
 * Values as DAP variables: a tree whose nodes get a handle when the client expands them. Nodes
 * under a peer's channel remember where they are, so its `height` and `leader` can carry a data
 * breakpoint.
 */
import { Handles, Variable } from '@vscode/debugadapter';
import type { Value } from './queries.js';

export interface VarNode {
  value: Value;
  /** The peer and channel this node describes, when it is a peer's channel entry. */
  peer?: string;
  channel?: string;
  /** The name this node has in its parent. */
  key?: string;
}

/** Children shown for one array or object at most (a 200-peer membership is still readable). */
const MAX_CHILDREN = 500;

export class VariableTree {
  private readonly handles = new Handles<VarNode>();

  reset(): void {
    this.handles.reset();
  }

  /** A handle for a container value (0 for a scalar, which has nothing to expand). */
  handle(node: VarNode): number {
    const v = node.value;
    return v !== null && typeof v === 'object' ? this.handles.create(node) : 0;
  }

  node(ref: number): VarNode | undefined {
    return this.handles.get(ref);
  }

  children(ref: number): Variable[] {
    const node = this.handles.get(ref);
    if (node === undefined) return [];
    const v = node.value;
    if (v === null || typeof v !== 'object') return [];
    const entries: [string, Value][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    const out = entries.slice(0, MAX_CHILDREN).map(([name, value]) => {
      // A peer's `channels` object holds one entry per channel: those entries know their channel.
      const channel = node.channel ?? (node.peer !== undefined && node.key === 'channels' ? name : undefined);
      return new Variable(name, preview(value), this.handle({ value, peer: node.peer, channel, key: name }));
    });
    if (entries.length > MAX_CHILDREN) out.push(new Variable('…', `${entries.length - MAX_CHILDREN} more`));
    return out;
  }
}

/** A one-line rendering: scalars as they are, containers summarised. */
export function preview(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    const inner = v.slice(0, 5).map((x) => (x !== null && typeof x === 'object' ? '…' : preview(x)));
    return `(${v.length}) [${inner.join(', ')}${v.length > 5 ? ', …' : ''}]`;
  }
  const keys = Object.keys(v);
  const inner = keys.slice(0, 4).map((k) => {
    const x = v[k];
    return `${k}: ${x !== null && typeof x === 'object' ? '{…}' : preview(x)}`;
  });
  return `{${inner.join(', ')}${keys.length > 4 ? ', …' : ''}}`;
}
