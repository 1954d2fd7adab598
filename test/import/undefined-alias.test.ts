/**
 * An alias to an anchor that is not defined (`- *Org3` with no `&Org3`) is a YAML mistake, and
 * Fabric's configtxgen refuses it ("unknown anchor"): the import names it as such at its
 * position, in a channel profile and in the orderer-genesis profile alike.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importNetwork, type NetworkFile } from '../../engine/import/network.js';
import { ImportError } from '../../engine/import/yaml-source.js';

const DIR = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric');
const CONFIGTX = join(DIR, 'configtx.yaml');
const files = (): NetworkFile[] => ['core.yaml', 'configtx.yaml', 'crypto-config.yaml'].map((f) => ({ path: join(DIR, f), text: readFileSync(join(DIR, f), 'utf8') }));

function importError(edit: (configtx: string) => string): ImportError {
  const fs = files().map((f) => (f.path === CONFIGTX ? { ...f, text: edit(f.text) } : f));
  try {
    importNetwork(fs);
  } catch (e) {
    assert.ok(e instanceof ImportError, String(e));
    return e;
  }
  assert.fail('import accepted it');
}

/** `file:line:col` of the n-th (0-based) occurrence of `needle` in the edited text. */
function positionOf(text: string, needle: string, nth: number): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

test('an undefined alias in a channel profile is reported as an undefined alias, at its position', () => {
  let edited = '';
  const e = importError((t) => (edited = t.replace('            Organizations:\n                - *Org1\n                - *Org2\n            Capabilities:\n                <<: *ApplicationCapabilities', '            Organizations:\n                - *Org1\n                - *Org3\n            Capabilities:\n                <<: *ApplicationCapabilities')));
  assert.notEqual(edited, readFileSync(CONFIGTX, 'utf8'), 'the edit took');
  assert.match(e.message, new RegExp(`configtx\\.yaml:${positionOf(edited, '*Org3', 0)}: YAML: alias \\*Org3 names no anchor`));
  assert.doesNotMatch(e.message, /without an ID/);
});

test('the same mistake in the orderer-genesis profile is not accepted silently', () => {
  let edited = '';
  const e = importError((t) => (edited = t.replace('                Organizations:\n                - *OrdererOrg', '                Organizations:\n                - *OrdererOrgz').replace('            Organizations:\n                - *OrdererOrg\n', '            Organizations:\n                - *OrdererOrgz\n')));
  assert.ok(edited.includes('*OrdererOrgz'), 'the edit took');
  assert.match(e.message, new RegExp(`configtx\\.yaml:${positionOf(edited, '*OrdererOrgz', 0)}: YAML: alias \\*OrdererOrgz names no anchor`));
});
