/**
 * Colours come from VS Code's theme variables, so the view looks native in light, dark and
 * high-contrast themes. Cytoscape and canvases need concrete colours: read them once per theme.
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
  '--vscode-panel-border': '#80808059',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-descriptionForeground': '#9d9d9d',
};

export function color(name: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || FALLBACK[name] || '#888888';
}

/** One colour per Fabric message type, from the theme's chart palette. */
export function typeColor(type: string | undefined): string {
  switch (type) {
    case 'AliveMessage':
    case 'MembershipRequest':
    case 'MembershipResponse':
      return color('--vscode-charts-green');
    case 'DataMessage':
    case 'DataUpdate':
    case 'RemoteStateResponse':
      return color('--vscode-charts-blue');
    case 'GossipHello':
    case 'DataDigest':
    case 'DataRequest':
    case 'RemoteStateRequest':
      return color('--vscode-charts-purple');
    case 'StateInfo':
    case 'StateInfoSnapshot':
    case 'StateInfoPullRequest':
      return color('--vscode-charts-yellow');
    case 'LeadershipMessage':
      return color('--vscode-charts-orange');
    case 'PrivateDataMessage':
    case 'RemotePvtDataRequest':
    case 'RemotePvtDataResponse':
      return color('--vscode-charts-red');
    default:
      return color('--vscode-charts-foreground');
  }
}

/** Re-read colours when VS Code switches theme (it changes the body's class). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(fn).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
