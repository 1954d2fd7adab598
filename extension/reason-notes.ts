/**
 * Plain-words notes on the rejection reasons that puzzle people, shown where the reason appears
 * (the message list, the inspector, the Peers view). Pure data, no `vscode`: the host and the
 * webview both import it.
 */

export interface ReasonNote {
  /** Matches the reason text the engine reports (Fabric's own words). */
  test: RegExp;
  /** What it means, why it happens, and whether to worry. */
  text: string;
}

/** Within this long after a peer started, an unknown sender's StateInfo is start-up noise. */
export const STARTUP_GRACE_MS = 15_000;

const NOTES: readonly ReasonNote[] = [
  {
    test: /PKI-ID not found in identity mapper/,
    text:
      'Real Fabric logs this too ("StateInfo message … is found invalid", gossip_impl.go validateStateInfoMsg): ' +
      "a peer's StateInfo (its ledger height) reached a peer that has not learned the sender's certificate yet. " +
      'Certificates arrive with alive messages and the identity pull a few seconds after a peer starts, so while peers ' +
      'start up this is expected and harmless: the next StateInfo, a second later, is accepted. ' +
      'Long after start-up it means an identity was never learned or was purged (an expired certificate).',
  },
];

/** The note on a reason, or undefined when it speaks for itself. */
export function noteOnReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  return NOTES.find((n) => n.test.test(reason))?.text;
}

/** The text of a benign start-up rejection's badge. */
export const BENIGN_LABEL = 'start-up';
