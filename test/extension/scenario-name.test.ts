/** The scenario pickers show a scenario's name, not the comment an import writes after it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scenarioName } from '../../extension/scenario-name.js';

test("a scenario's name without its trailing comment, quoted or not", () => {
  assert.equal(scenarioName('# a comment\nname: imported-network   # the import\nseed: 1\n'), 'imported-network');
  assert.equal(scenarioName('name: "two # orgs"  # why\n'), 'two # orgs');
  assert.equal(scenarioName("name: 'x'\n"), 'x');
  assert.equal(scenarioName('name: two-orgs-partition\n'), 'two-orgs-partition');
  assert.equal(scenarioName('name:   # nothing but a comment\n'), undefined);
  assert.equal(scenarioName('orgs: []\n'), undefined);
});
