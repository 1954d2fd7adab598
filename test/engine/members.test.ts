import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemberTable } from '../../engine/fabric/members.js';
import { hex } from '../../engine/fabric/message.js';

const pki = (fill: number) => new Uint8Array(32).fill(fill);

test('a PKI-ID keeps its member id, whichever byte array carries it; an unknown one gets the next id', () => {
  const t = new MemberTable();
  const a = t.idOf(pki(1));
  const b = t.idOf(pki(2));
  assert.notEqual(a, b);
  assert.equal(t.idOf(pki(1)), a, 'a fresh array with the same bytes');
  assert.equal(t.idOfHex(hex(pki(2))), b, 'the same PKI-ID by its hex');
  assert.equal(t.find(hex(pki(3))), undefined, 'find hands out no id');
  assert.equal(t.size, 2);
  const c = t.idOfHex(hex(pki(3)));
  assert.equal(c, 2);
  assert.equal(t.idOf(pki(3)), c);
  assert.equal(t.size, 3);
});

test('an id gives back the PKI-ID bytes and hex it stands for', () => {
  const t = new MemberTable();
  const bytes = pki(0xab);
  const id = t.idOf(bytes);
  assert.equal(t.pkiId(id), bytes, 'the array it was first seen in');
  assert.equal(t.hex(id), 'ab'.repeat(32));
  const fromHex = t.idOfHex('cd'.repeat(32));
  assert.deepEqual([...t.pkiId(fromHex)], [...pki(0xcd)]);
  assert.equal(t.hex(fromHex), 'cd'.repeat(32));
});

test('bad input is refused with what and where', () => {
  const t = new MemberTable();
  assert.throws(() => t.idOfHex('ABCD'), /member table: 'ABCD' is not a PKI-ID in lowercase hex/);
  assert.throws(() => t.idOfHex('abc'), /not a PKI-ID in lowercase hex/);
  assert.throws(() => t.hex(0), /member table: no member 0 \(the table has 0\)/);
  assert.throws(() => t.pkiId(5), /no member 5/);
});
