// Types for scripts/code-server.mjs, so TypeScript tests can use it.
export declare const CODE_SERVER_VERSION: string;
export declare class CodeServerUnavailable extends Error {}
export declare function cacheDir(): string;
export declare function ensureCodeServer(options?: { log?: (message: string) => void }): string;
export declare function freePort(): Promise<number>;
export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  folder: string;
  userDataDir: string;
  stop(): Promise<void>;
}
export declare function startCodeServer(options?: {
  extensionPath?: string;
  /** Install this packaged extension (code-server --install-extension) instead of linking extensionPath. */
  vsix?: string;
  folder?: string;
  settings?: Record<string, unknown>;
  log?: (message: string) => void;
  output?: 'ignore' | 'inherit';
  port?: number;
  /** More code-server / VS Code server arguments (before the folder). */
  extraArgs?: string[];
  /** More environment for the server (and the extension hosts it starts). */
  env?: Record<string, string>;
  /** More extension folders to load beside this one (test-only helpers). */
  extraExtensions?: string[];
}): Promise<CodeServer>;
