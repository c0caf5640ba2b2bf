// How the stream client answers the server's close codes (server/streamguard.py): a
// cross-origin refusal stops retrying, busy retries slowly, idle reconnects on demand.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { CLOSE, StreamClient } from '../../frontend/js/net/stream.js';

function fakeSockets() {
  const made = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      made.push(this);
    }

    send(text) { this.sent.push(JSON.parse(text)); }

    close() {}

    open() { this.readyState = 1; this.onopen(); }

    drop(code) { this.readyState = 3; this.onclose({ code }); }
  }
  return { FakeSocket, made };
}

test('a cross-origin refusal (1008) is final: no reconnect, status "refused"', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { FakeSocket, made } = fakeSockets();
    const seen = [];
    const client = new StreamClient('ws://x', { status: (s) => seen.push(s) }, FakeSocket);
    client.connect();
    made[0].drop(CLOSE.POLICY);
    mock.timers.tick(60000);
    client.send({ type: 'start' }); // nor does a new message bring it back
    assert.equal(made.length, 1);
    assert.deepEqual(seen, ['refused']);
  } finally {
    mock.timers.reset();
  }
});

test('busy (1013) retries after seconds, not a quarter second; a drop retries at once', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { FakeSocket, made } = fakeSockets();
    const seen = [];
    const client = new StreamClient('ws://x', { status: (s) => seen.push(s) }, FakeSocket);
    client.connect();
    made[0].drop(CLOSE.TRY_AGAIN_LATER);
    mock.timers.tick(1000);
    assert.equal(made.length, 1, 'too soon after "busy"');
    mock.timers.tick(1000);
    assert.equal(made.length, 2);
    made[1].open();
    made[1].drop(1006); // a dropped connection: the usual quick retry
    mock.timers.tick(250);
    assert.equal(made.length, 3);
    assert.deepEqual(seen, ['busy', 'open', 'closed']);
  } finally {
    mock.timers.reset();
  }
});

test('closed for idleness (4408): reconnects only when there is something to send', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { FakeSocket, made } = fakeSockets();
    const seen = [];
    const client = new StreamClient('ws://x', { status: (s) => seen.push(s) }, FakeSocket);
    client.connect();
    made[0].open();
    made[0].drop(CLOSE.IDLE);
    mock.timers.tick(60000);
    assert.equal(made.length, 1);
    client.send({ type: 'start', n: 1 });
    assert.equal(made.length, 2);
    made[1].open();
    assert.deepEqual(made[1].sent, [{ type: 'start', n: 1 }]);
    assert.deepEqual(seen, ['open', 'idle', 'open']);
  } finally {
    mock.timers.reset();
  }
});
