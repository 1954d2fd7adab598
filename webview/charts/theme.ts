/**
 * Chart colours from VS Code's theme variables (the report page defines the same variables
 * for light and dark), read when a chart is made and again when the theme changes.
 */
export interface ChartTheme {
  fg: string;
  muted: string;
  grid: string;
  font: string;
  /** Distinct series colours: VS Code's --vscode-charts-* first. */
  series: string[];
  /** How a block arrived: the same colours in every chart. */
  via: Record<'orderer' | 'push' | 'pull' | 'state', string>;
}

const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export function chartTheme(): ChartTheme {
  const blue = css('--vscode-charts-blue', '#3794ff');
  const red = css('--vscode-charts-red', '#f14c4c');
  const green = css('--vscode-charts-green', '#89d185');
  const yellow = css('--vscode-charts-yellow', '#cca700');
  const orange = css('--vscode-charts-orange', '#d18616');
  const purple = css('--vscode-charts-purple', '#b180d7');
  const fg = css('--vscode-editor-foreground', css('--vscode-foreground', '#cccccc'));
  return {
    fg,
    muted: css('--vscode-descriptionForeground', fg),
    grid: css('--vscode-editorWidget-border', css('--vscode-panel-border', '#80808040')),
    font: `11px ${css('--vscode-font-family', 'system-ui, sans-serif')}`,
    series: [blue, orange, green, purple, red, yellow],
    via: { orderer: purple, push: blue, pull: orange, state: green },
  };
}

/** The axis look every chart shares. */
export function axis(t: ChartTheme, label: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { label, stroke: t.fg, font: t.font, labelFont: t.font, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1 }, ...extra };
}
