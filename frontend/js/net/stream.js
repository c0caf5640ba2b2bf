// The WebSocket to /api/stream: one connection, reopened when it drops, messages handed to
// the app by type. The protocol (start, step, set, pause, stop; started, frame, paused, set,
// done, error) is the server's; see the README.

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
  }

  connect() {
    if (this.closed) return;
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
    ws.onclose = () => {
      if (this.ws !== ws || this.closed) return;
      this.handlers.status?.('closed');
      const delay = Math.min(4000, 250 * 2 ** this.retry);
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
    }
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}
