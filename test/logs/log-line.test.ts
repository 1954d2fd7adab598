/** flogging's two layouts and what docker puts around them; what is not a Fabric line says why. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotALogLine, parseLogLine } from '../../engine/logs/log-line.js';

test('the peer layout, with a docker compose service prefix and colour codes', () => {
  const l = parseLogLine('peer0.org1.example.com  | \x1b[34m2024-05-01 10:00:01.250 UTC [gossip.discovery] periodicalSendAlive -> DEBU 0a3\x1b[0m Sleeping 5s');
  assert.ok(!(l instanceof NotALogLine), String(l));
  assert.deepEqual(l, { time: Date.UTC(2024, 4, 1, 10, 0, 1, 250), level: 'DEBU', logger: 'gossip.discovery', func: 'periodicalSendAlive', message: 'Sleeping 5s', service: 'peer0.org1.example.com' });
});

test('the test layout, with a tagged logger and a numeric zone', () => {
  const l = parseLogLine('2024-05-01 12:00:01.250 +0200 0002 WARN [gossip.gossip#p3] handleMessage -> Something');
  assert.ok(!(l instanceof NotALogLine));
  assert.equal(l.time, Date.UTC(2024, 4, 1, 10, 0, 1, 250));
  assert.equal(l.tag, 'p3');
  assert.equal(l.logger, 'gossip.gossip');
  assert.equal(l.level, 'WARN');
});

test('a zone name that cannot be placed, and a line that is not Fabric\'s, say why', () => {
  assert.match(String(parseLogLine('2024-05-01 12:00:01.250 CEST [gossip.comm] Send -> DEBU 001 x')), /time zone 'CEST' .*TZ=UTC/);
  assert.match(String(parseLogLine('panic: runtime error')), /not a Fabric log line/);
});
