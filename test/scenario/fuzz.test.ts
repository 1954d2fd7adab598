import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadScenario, ScenarioError } from '../../engine/scenario/load.js';

const samples = ['two-orgs.yaml', 'membership.yaml'].map((f) =>
  readFileSync(join(__dirname, '../../samples', f), 'utf8'),
);

// Characters that matter to YAML, plus a few ordinary ones.
const CHARS = [...':-[]{},#&*!|>\'"%@`?\n\t 0a.'];
const edit = fc.record({
  kind: fc.constantFrom('delete', 'insert'),
  at: fc.nat(),
  char: fc.constantFrom(...CHARS),
});

function mutate(text: string, edits: { kind: string; at: number; char: string }[]): string {
  for (const e of edits) {
    const i = e.at % (text.length + 1);
    text = e.kind === 'delete' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + e.char + text.slice(i);
  }
  return text;
}

test('random edits of the samples give a Scenario or a ScenarioError, nothing else', () => {
  fc.assert(
    fc.property(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 4 }), (sample, edits) => {
      const text = mutate(sample, edits);
      try {
        loadScenario(text, 'fuzz.yaml');
      } catch (e) {
        assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${String(e)}\n--- input ---\n${text}`);
        const lineCount = text.split('\n').length;
        for (const d of e.diagnostics) {
          assert.doesNotMatch(d.message, /^internal error/, `${d.message}\n--- input ---\n${text}`);
          assert.ok(d.line >= 1 && d.line <= lineCount && d.col >= 1, `position ${d.line}:${d.col}`);
        }
      }
    }),
    { seed: 20240611, numRuns: 1500 },
  );
});
