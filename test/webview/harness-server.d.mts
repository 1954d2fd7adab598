// Types for test/webview/harness-server.mjs, so TypeScript tests can use it.
import type { Browser } from 'playwright-core';
export declare const REPO: string;
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumUnavailable(): string | null;
export declare function serveRepo(): Promise<{ url: string; close(): Promise<void> }>;
export declare function launchChromium(): Promise<Browser>;
export declare function harnessUrl(base: string, options?: { net?: string; theme?: 'dark' | 'light' | 'high-contrast'; autoplay?: boolean }): string;
