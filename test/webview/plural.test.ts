/** Counts read as English: "1 message", never "1 messages". */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counted } from '../../webview/plural.js';

test('one is singular, every other count plural, with thousands separated', () => {
  assert.equal(counted(1, 'message'), '1 message');
  assert.equal(counted(0, 'message'), '0 messages');
  assert.equal(counted(2048, 'event'), '2,048 events');
  assert.equal(counted(1, 'entry', 'entries'), '1 entry');
});
