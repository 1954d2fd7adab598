/**
 * A CA and a certificate are made once for the same inputs: a step back rebuilds the whole
 * network, and making 200 peers' certificates again took 2 s of it. The same inputs give the
 * same bytes, each network gets its own signer, and any different input makes a new one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrgCA } from '../../engine/msp/ca.js';

const validity = { notBefore: new Date(Date.UTC(2026, 0, 1)), notAfter: new Date(Date.UTC(2027, 0, 1)) };

test('the same seed, MSP and validity give the same CA object; a different seed or validity a new one', async () => {
  const a = await OrgCA.create(7, 'Org1MSP', 'org1.example.com', validity);
  const b = await OrgCA.create(7, 'Org1MSP', 'org1.example.com', validity);
  assert.equal(a, b);
  assert.notEqual(await OrgCA.create('7', 'Org1MSP', 'org1.example.com', validity), a, 'the seed 7 and the secret "7" are different keys');
  assert.notEqual(await OrgCA.create(7, 'Org1MSP', 'org1.example.com', { ...validity, notAfter: new Date(Date.UTC(2028, 0, 1)) }), a);
});

test('a certificate issued twice is the same certificate, with a signer of its own each time', async () => {
  const ca = await OrgCA.create(8, 'Org2MSP', 'org2.example.com', validity);
  const one = await ca.issue('peer0', 'peer', validity);
  const two = await ca.issue('peer0', 'peer', validity);
  assert.equal(one.pkiId, two.pkiId, 'the parsed certificate is shared, not made again');
  assert.notEqual(one.sign, two.sign);
  const data = new TextEncoder().encode('alive');
  assert.deepEqual(one.sign(data), two.sign(data), 'RFC 6979: the same key signs the same bytes the same way');
  const renewed = await ca.issue('peer0', 'peer', { ...validity, notAfter: new Date(Date.UTC(2026, 6, 1)) });
  assert.notDeepEqual(renewed.certDer, one.certDer);
});
