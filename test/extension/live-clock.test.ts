import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveClock } from '../../extension/live-clock.js';

test('the live clock stands still while paused, and events keep their place on it', () => {
  let wall = 0;
  const clock = new LiveClock(() => wall);
  wall = 1000;
  assert.equal(clock.now(), 1000);
  clock.pause();
  wall = 4000;
  assert.equal(clock.now(), 1000, 'paused: it stands still');
  assert.equal(clock.at(500), 500, 'an event from before the pause keeps its time');
  assert.equal(clock.at(3000), 1000, 'one stamped while paused sits at the pause');
  clock.resume();
  wall = 4500;
  assert.equal(clock.now(), 1500, 'resumed: it goes on from where it stopped');
  assert.equal(clock.at(4200), 1200);
  clock.pause(1400);
  assert.equal(clock.now(), 1400, 'a pause can be dated back to when it was due');
});
