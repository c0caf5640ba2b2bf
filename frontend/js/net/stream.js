// The WebSocket to /api/stream: one connection, reopened when it drops, messages handed to
// the app by type. The protocol (start, step, set, pause, stop; started, frame, paused, set,
// done, error) is the server's; see the README.
//
// How the server closes a socket says what to do next (server/streamguard.py):
// 1008 this page may not stream from that server: do not retry; 1013 busy: retry, slowly;
// 4408 closed for idleness (no race started): reconnect only when there is something to send.
export const CLOSE = { POLICY: 1008, TRY_AGAIN_LATER: 1013, IDLE: 4408 };

export class StreamClient {
  /** @param url ws:// URL; @param handlers {started, frame, paused, set, done, error, status} */
  constructor(url, handlers, WebSocketImpl = globalThis.WebSocket) {
    this.url = url;
    this.handlers = handlers;
    this.WebSocketImpl = WebSocketImpl;
    this.ws = null;
    this.queue = []; // messages sent before the socket opened
    this.retry = 0;
    this.closed = false;
    this.refused = false; // the server said this page may not stream from it
  }

  connect() {
    if (this.closed || this.refused) return;
    const ws = new this.WebSocketImpl(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.handlers.status?.('open');
      const pending = this.queue;
      this.queue = [];
      for (const text of pending) ws.send(text);
    };
    ws.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      const handler = this.handlers[msg.type];
      if (handler) handler(msg);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws || this.closed) return;
      const code = event?.code;
      if (code === CLOSE.POLICY) {
        this.refused = true;
        this.handlers.status?.('refused');
        return;
      }
      if (code === CLOSE.IDLE) {
        this.ws = null; // send() reconnects
        this.handlers.status?.('idle');
        return;
      }
      this.handlers.status?.(code === CLOSE.TRY_AGAIN_LATER ? 'busy' : 'closed');
      // Busy: wait longer, so a full server is not asked again every quarter second.
      const [first, most] = code === CLOSE.TRY_AGAIN_LATER ? [2000, 30000] : [250, 4000];
      const delay = Math.min(most, first * 2 ** this.retry);
      this.retry += 1;
      setTimeout(() => this.connect(), delay);
    };
  }

  send(message) {
    const text = JSON.stringify(message);
    if (this.ws && this.ws.readyState === 1) this.ws.send(text);
    else {
      // Only the newest start matters if we are still connecting.
      if (message.type === 'start') this.queue = [];
      this.queue.push(text);
      if (!this.ws) this.connect(); // closed for idleness: back when needed
    }
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}
