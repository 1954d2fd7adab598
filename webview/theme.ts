/**
 * Colours come from VS Code's theme variables, so the view looks native in light, dark and
 * high-contrast themes. Cytoscape and canvases need concrete colours: they are read once per
 * theme and cached (getComputedStyle per dot would cost more than drawing it).
 */
const FALLBACK: Record<string, string> = {
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': '#cccccc80',
  '--vscode-panel-border': '#80808059',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f48771',
  '--vscode-contrastBorder': '',
};

let cache = new Map<string, string>();

export function color(name: string): string {
  let v = cache.get(name);
  if (v === undefined) {
    v = getComputedStyle(document.body).getPropertyValue(name).trim() || FALLBACK[name] || '#888888';
    cache.set(name, v);
  }
  return v;
}

/** The chart colour each family of Fabric messages is drawn in (dots, timeline, list swatches). */
const TYPE_VAR: Record<string, string> = {
  AliveMessage: '--vscode-charts-green',
  MembershipRequest: '--vscode-charts-green',
  MembershipResponse: '--vscode-charts-green',
  ConnEstablish: '--vscode-charts-green',
  DataMessage: '--vscode-charts-blue',
  DataUpdate: '--vscode-charts-blue',
  RemoteStateResponse: '--vscode-charts-blue',
  GossipHello: '--vscode-charts-purple',
  DataDigest: '--vscode-charts-purple',
  DataRequest: '--vscode-charts-purple',
  RemoteStateRequest: '--vscode-charts-purple',
  StateInfo: '--vscode-charts-yellow',
  StateInfoSnapshot: '--vscode-charts-yellow',
  StateInfoPullRequest: '--vscode-charts-yellow',
  LeadershipMessage: '--vscode-charts-orange',
  PrivateDataMessage: '--vscode-charts-red',
  RemotePvtDataRequest: '--vscode-charts-red',
  RemotePvtDataResponse: '--vscode-charts-red',
};

export function typeColor(type: string | undefined): string {
  return color((type !== undefined && TYPE_VAR[type]) || '--vscode-charts-foreground');
}

/** The legend: one entry per colour, named by the families it stands for. */
export const TYPE_FAMILIES: [string, string][] = [
  ['membership', 'AliveMessage'],
  ['blocks', 'DataMessage'],
  ['pull', 'GossipHello'],
  ['state info', 'StateInfo'],
  ['leadership', 'LeadershipMessage'],
  ['private data', 'PrivateDataMessage'],
];

/** Re-reads colours when VS Code switches theme (it changes the body's class). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(() => {
    cache = new Map();
    fn();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
