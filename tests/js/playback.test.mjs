import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Playback, StreamFlow, SPEEDS } from '../../frontend/js/lib/playback.js';

test('playing advances at baseRate × speed and waits for data (buffering)', () => {
  const p = new Playback(40);
  p.play(null);
  p.tick(0.5, 100, null);
  assert.equal(p.step, 20);
  p.setSpeed(2);
  p.tick(0.5, 100, null);
  assert.equal(p.step, 60);
  p.tick(10, 100, null); // not enough data yet: hold at the horizon
  assert.equal(p.step, 100);
  assert.ok(p.buffering && p.playing);
  p.tick(0.1, 200, null);
  assert.equal(p.buffering, false);
  assert.equal(p.step, 108);
});

test('the end of a finished race stops playback; play again restarts from 0', () => {
  const p = new Playback(40);
  p.play(null);
  p.tick(100, 50, 50);
  assert.equal(p.playing, false);
  assert.equal(p.step, 50);
  p.play(50);
  assert.equal(p.step, 0);
  assert.ok(p.playing);
});

test('step, seek and reset are clamped to what has arrived', () => {
  const p = new Playback(40);
  p.stepBy(1, 10);
  assert.equal(p.step, 1);
  assert.equal(p.playing, false);
  p.stepBy(-5, 10);
  assert.equal(p.step, 0);
  p.seek(99, 10);
  assert.equal(p.step, 10);
  p.reset();
  assert.equal(p.cursor, 0);
  p.play(null);
  p.tick(0.33, 100, null);
  p.pause();
  assert.equal(p.cursor, Math.floor(p.cursor)); // paused exactly on a step
});

test('the speed menu rises from 0.1x to 10x; a speed that is no positive number plays at 1x', () => {
  assert.deepEqual(SPEEDS, [...SPEEDS].sort((a, b) => a - b));
  assert.equal(SPEEDS[0], 0.1);
  assert.equal(SPEEDS[SPEEDS.length - 1], 10);
  const p = new Playback();
  p.setSpeed(2.5); // bounds are the server's, applied to the state (lib/state.js applyLimits)
  assert.equal(p.speed, 2.5);
  assert.equal(p.rate, 2.5 * p.baseRate);
  for (const bad of [0, -3, NaN, 'fast', Infinity]) {
    p.setSpeed(bad);
    assert.equal(p.speed, 1, String(bad));
  }
});

test('stream flow asks for more only when the buffer runs low, one request at a time', () => {
  const flow = new StreamFlow({ frameSteps: 50, lookaheadSeconds: 1, minAhead: 40 });
  // 40 steps/s: target 40 ahead. At cursor 0 with 8 received, ask for the rest.
  const n = flow.want(0, 8, 40, 500, false);
  assert.ok(n >= 32 && n >= 50);
  flow.sent();
  assert.equal(flow.want(0, 8, 40, 500, false), 0); // outstanding
  flow.settled();
  assert.equal(flow.want(0, 58, 40, 500, false), 0); // far enough ahead
  assert.ok(flow.want(50, 58, 40, 500, false) > 0);
  // Never more than the race has left, nothing once complete.
  assert.equal(flow.want(490, 495, 400, 500, false), 5);
  assert.equal(flow.want(0, 8, 40, 500, true), 0);
  // Faster playback looks further ahead.
  assert.ok(flow.target(400) > flow.target(40));
});
