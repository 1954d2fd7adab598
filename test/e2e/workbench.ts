/**
 * Driving VS Code's workbench (code-server in Debian's Chromium) the way a person does: the
 * command palette, quick picks, the status bar, views, and webviews found among nested iframes.
 * Every step can leave a screenshot in test-results/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/**
 * How long a step may take to show on a loaded machine (2 cores shared by several VS Codes and
 * test runs): a limit on a wait for a condition, never a sleep. Healthy runs take a second.
 */
export const UI_WAIT_MS = 60_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export class Workbench {
  private shots = 0;
  /** The page's latest console errors and warnings, for a failure's message. */
  private readonly consoleTail: string[] = [];
  /** code-server's user-data folder: its logs (the extension host's) go into a failure's message. */
  userDataDir?: string;

  constructor(
    readonly page: Page,
    private readonly resultsDir: string,
  ) {
    mkdirSync(resultsDir, { recursive: true });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.remember(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.remember(`page error: ${e.message}`));
  }

  private remember(line: string) {
    this.consoleTail.push(line.slice(0, 400));
    if (this.consoleTail.length > 20) this.consoleTail.shift();
  }

  /**
   * What a failed wait should say beyond "not found": a screenshot, the frames, the open tabs, the
   * page's last console errors and the tail of every extension-host log.
   */
  async diagnosis(name: string): Promise<string> {
    const shot = await this.screenshot(name).catch((e) => `(no screenshot: ${e.message})`);
    const tabs = await this.page.locator('.tab').allInnerTexts().catch(() => []);
    const lines = [`screenshot: ${shot}`, `tabs: ${tabs.map((t) => t.trim()).join(' | ')}`, `frames: ${this.page.frames().map((f) => f.url().slice(0, 120)).join('\n  ')}`, ...this.consoleTail];
    for (const log of this.userDataDir ? logFiles(join(this.userDataDir, 'logs')) : []) {
      if (!/exthost|Gossip Scope|remoteagent/i.test(log)) continue;
      const text = readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n');
      lines.push(`--- ${log}\n${text}`);
    }
    return lines.join('\n');
  }

  /**
   * Opens the workbench and waits until an extension's contributions are in (its activity-bar
   * container is drawn): before that, the palette does not list its commands yet.
   */
  static async open(browser: Browser, url: string, resultsDir: string, activity: string): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_WAIT_MS);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator(`.activitybar .action-item a[aria-label^="${activity}"]`).first().waitFor({ timeout: 60_000 });
    return new Workbench(page, resultsDir);
  }

  /** Saves test-results/NN-name.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.resultsDir, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** F1, the command's title, Enter, once the palette's first row is exactly that command. */
  async runCommand(title: string): Promise<void> {
    const first = this.page.locator('.quick-input-list .monaco-list-row').first().locator('.label-name').first();
    let label = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const input = await this.openQuickInput();
      // The palette can close under us (a panel taking focus as it opens): open it again.
      const filled = await input.fill(`>${title}`, { timeout: 5000 }).then(
        () => true,
        () => false,
      );
      if (!filled) continue;
      // The palette filters as the extension host answers: slow under load. A loaded workbench
      // can also drop what was typed while it re-renders the palette: type it again then.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        label = (await first.innerText({ timeout: 1000 }).catch(() => '')).trim();
        if (label === title) return this.page.keyboard.press('Enter');
        // Another command can rank above it ("Compare Two Runs…" above "Run"): take the exact one,
        // but only once the list has had time to settle (right after typing it still shows the
        // unfiltered commands, and a click there lands on a row being redrawn).
        const settled = Date.now() > deadline - 25_000;
        const exact = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s')}$`) }) });
        if (settled && (await exact.count().catch(() => 0)) > 0) return exact.first().click({ timeout: 5000 });
        const typed = await input.inputValue({ timeout: 1000 }).catch(() => null);
        if (typed === null) break;
        if (typed !== `>${title}`) await input.fill(`>${title}`, { timeout: 5000 }).catch(() => {});
        await this.page.waitForTimeout(100);
      }
    }
    await this.screenshot(`palette-without-${title.replace(/\W+/g, '-')}`);
    throw new Error(`the palette's first command is "${label}", not "${title}"`);
  }

  /** Types into an open quick pick and takes the first row whose label contains `text`. */
  async pick(text: string, { filter = true }: { filter?: boolean } = {}): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible' }).catch(async (e) => {
      await this.screenshot(`no-pick-for-${text.replace(/\W+/g, '-')}`);
      throw e;
    });
    const input = widget.locator('input.input').first();
    if (filter) await input.fill(text);
    const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    // Unfiltered, a row of a long list can be out of sight (rendered, hidden): then type it.
    const seen = await row.waitFor({ timeout: filter ? UI_WAIT_MS : 3000 }).then(
      () => true,
      () => false,
    );
    if (!seen) {
      await input.fill(text);
      await row.waitFor({ timeout: UI_WAIT_MS });
    }
    await row.click();
  }

  /** VS Code's simple file dialog (a quick input holding a path): type the path, accept it. */
  async chooseFile(path: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    const input = widget.locator('input.input').first();
    // The dialog fills in its starting folder as it opens, and completes paths as it goes, which
    // can overwrite what was typed: type again until the input holds the path.
    const deadline = Date.now() + UI_WAIT_MS;
    while (Date.now() < deadline) {
      await input.fill(path);
      await this.page.waitForTimeout(300);
      if ((await input.inputValue()) === path) break;
    }
    // A folder typed in is first opened by the dialog; Enter again accepts it.
    for (let attempt = 0; attempt < 4; attempt++) {
      await this.page.keyboard.press('Enter');
      if (await widget.waitFor({ state: 'hidden', timeout: 4000 }).then(() => true, () => false)) return;
    }
    await this.screenshot('file-dialog-stuck');
    throw new Error(`the file dialog did not accept ${path}; it shows "${await input.inputValue()}"`);
  }

  async quickInputClosed(): Promise<void> {
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_WAIT_MS });
  }

  /** The text of the status bar item whose text contains `marker`. */
  async statusItem(marker: string | RegExp): Promise<string> {
    const item = this.page.locator('.statusbar-item', { hasText: marker }).first();
    await item.waitFor({ timeout: UI_WAIT_MS });
    return (await item.innerText()).trim();
  }

  /** Waits until the status bar item containing `marker` satisfies `ok`; returns its text. */
  async waitForStatus(marker: string | RegExp, ok: (text: string) => boolean, timeoutMs = UI_WAIT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.statusItem(marker).catch(() => '');
      if (ok(text)) return text;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`status bar never got there; last text: "${text}"`);
  }

  /** The frame of the webview whose document holds `selector` (webviews are nested iframes). */
  async webviewFrame(selector: string, timeoutMs = UI_WAIT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (await frame.locator(selector).count().catch(() => 0)) return frame;
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no webview holds ${selector}\n${await this.diagnosis(`no-webview-${selector.replace(/\W+/g, '-')}`)}`);
  }

  /** Shows a view container from the activity bar by its title (e.g. "Gossip Scope"). */
  async showActivity(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
    await item.click();
  }

  /** Labels of the rows of a tree view, as shown. */
  async treeRows(viewTitle: string): Promise<string[]> {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: viewTitle }) }).first();
    return pane.locator('.monaco-list-row').allInnerTexts();
  }

  private async openQuickInput() {
    const widget = this.page.locator('.quick-input-widget');
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      try {
        await widget.waitFor({ state: 'visible', timeout: 5_000 });
        return widget.locator('input.input').first();
      } catch (err) {
        if (attempt >= 3) throw err;
        // Keys went to a webview's iframe: click an empty spot of the title bar to take focus back.
        await this.page.locator('.part.titlebar').click({ position: { x: 300, y: 10 } });
      }
    }
  }
}

function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? logFiles(p) : p.endsWith('.log') ? [p] : [];
  });
}
