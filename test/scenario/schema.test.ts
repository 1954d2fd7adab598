import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DURATION_KEYS, parseDuration, profileConfig } from '../../engine/fabric/config.js';
import { scenarioSchema } from '../../engine/scenario/load.js';

type S = Record<string, any>;
const schema = scenarioSchema as S;
const DURATION_REF = '#/definitions/duration';

/** Every leaf of a config object, as `a.b.c` → value. */
function leaves(obj: S, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') for (const [p, x] of leaves(v, path)) out.set(p, x);
    else out.set(path, v);
  }
  return out;
}

/** Every leaf property schema under an object schema, as `a.b.c` → schema. */
function schemaLeaves(s: S, prefix = ''): Map<string, S> {
  const out = new Map<string, S>();
  for (const [k, v] of Object.entries<S>(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v.type === 'object') {
      assert.equal(v.additionalProperties, false, `${path} closes its keys`);
      for (const [p, x] of schemaLeaves(v, path)) out.set(p, x);
    } else out.set(path, v);
  }
  return out;
}

/** The schema a config value needs: durations by core.yaml path, other numbers are counts. */
function expectedLeafSchema(path: string, value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (DURATION_KEYS.has(path)) return 'duration';
  assert.ok(Number.isInteger(value), `${path} is a count`);
  return 'integer';
}

function leafKind(s: S): string {
  return s.$ref === DURATION_REF ? 'duration' : String(s.type);
}

test("the schema's gossip section matches config.ts key for key (fails when they drift)", () => {
  const config = leaves(profileConfig('fabric-v3').gossip);
  const inSchema = schemaLeaves(schema.definitions.gossip);
  assert.deepEqual([...inSchema.keys()].sort(), [...config.keys()].sort());
  for (const [path, value] of config) {
    assert.equal(leafKind(inSchema.get(path)!), expectedLeafSchema(path, value), `type of gossip.${path}`);
  }
  // Every DURATION_KEYS entry is a real key (a renamed key would otherwise silently stop parsing).
  for (const key of DURATION_KEYS) assert.ok(config.has(key), `${key} exists in config`);
});

test("the schema's deliveryclient section matches config.ts", () => {
  const config = leaves(profileConfig('fabric-v3').deliveryclient);
  const inSchema = schemaLeaves(schema.properties.deliveryclient);
  assert.deepEqual([...inSchema.keys()].sort(), [...config.keys()].sort());
  for (const [path, value] of config) assert.equal(leafKind(inSchema.get(path)!), typeof value);
});

test('draft-07, every object closed, every property described', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const visit = (s: S, path: string): void => {
    if (s.type === 'object' && path !== '.expect[]') assert.equal(s.additionalProperties, false, `${path} closes its keys`);
    for (const [k, v] of Object.entries<S>(s.properties ?? {})) {
      assert.ok(typeof v.description === 'string' && v.description.length > 10, `${path}.${k} has a description`);
      visit(v, `${path}.${k}`);
    }
    if (s.items) visit(s.items, `${path}[]`);
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) visit(branch, path);
  };
  visit(schema, '');
});

test('the duration pattern accepts what parseDuration accepts', () => {
  const re = new RegExp(schema.definitions.duration.pattern, 'u');
  for (const ok of ['0', '500ms', '4s', '1m30s', '1.5s', '2h', '10us', '10µs', '3ns', '1h2m3s4ms', '-5s']) {
    assert.ok(re.test(ok), ok);
    assert.notEqual(parseDuration(ok.replace(/^-/, '')), null, ok);
  }
  for (const bad of ['', '4', '4 seconds', 's', '1.s', '.5s', '4S', '4sec', ' 4s', '1m 30s']) {
    assert.ok(!re.test(bad), bad);
  }
});
