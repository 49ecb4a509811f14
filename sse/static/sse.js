// sse.js: Server-Sent Events. One response stays open and the server writes each change to it.
// board.js (shared by every technique) draws what arrives; this file is the technique.
"use strict";

(() => {
  let cursor = null; // the newest change this page shows: where a stream opened by this page starts
  let failures = 0;
  let messages = 0;
  let reconnects = 0;

  board.meter.showTransport("EventSource");

  // One EventSource for as long as it lives. The browser reads the response as it
  // arrives, hands each message to the listeners below, and when the connection drops
  // it reconnects by itself after the server's `retry:` delay, sending the id of the
  // last message as Last-Event-ID: the server replays exactly what this page missed.
  // A new EventSource sends no such header, so the cursor goes in its URL instead.
  function connect() {
    const path = cursor === null ? "/api/stream" : `/api/stream?cursor=${cursor}`;
    const source = new EventSource(board.apiUrl(path));
    board.meter.countRequest();
    source.addEventListener("open", () => {
      failures = 0;
      board.status.live();
    });
    source.addEventListener("state", (message) => {
      countMessage(message);
      applyState(JSON.parse(message.data));
    });
    // Every other message is one event of the store; its id is its cursor.
    source.addEventListener("message", (message) => {
      countMessage(message);
      cursor = message.lastEventId;
      board.applyEvent(JSON.parse(message.data));
    });
    source.addEventListener("error", () => retry(source));
  }

  // The status follows readyState. CONNECTING: the connection dropped and the browser
  // is already trying again. CLOSED: the server answered something other than a
  // stream (a 503 while its Redis is away, say), and the browser gives up for good;
  // then this page waits with backoff and jitter, and opens a new stream itself.
  function retry(source) {
    failures += 1;
    if (source.readyState === EventSource.CONNECTING) {
      reconnects += 1;
      document.getElementById("meter-reconnects").textContent = String(reconnects);
      board.meter.countRequest();
      board.status.retrying(failures);
    } else {
      source.close();
      const waitMs = board.retryDelay(failures);
      board.status.retrying(failures, waitMs);
      setTimeout(connect, waitMs);
    }
  }

  function applyState(state) {
    const isUpdate = cursor !== null;
    cursor = state.cursor;
    board.syncClock(state.now);
    board.render(state);
    // A state after the first one means this page was away too long to replay.
    if (isUpdate) board.meter.countUpdate(Number(state.cursor.split("-")[0]) / 1000);
  }

  // EventSource shows the page each message, not the bytes under it: estimate them as
  // the server wrote them ("event: ...", "id: ...", "data: ...", a blank line). The
  // keep-alive comments never reach the page, so the meter cannot count them.
  function countMessage(message) {
    messages += 1;
    document.getElementById("meter-messages").textContent = String(messages);
    const kind = message.type === "message" ? "" : `event: ${message.type}\n`;
    const text = `${kind}id: ${message.lastEventId}\ndata: ${message.data}\n\n`;
    board.meter.countBytes(new TextEncoder().encode(text).length);
  }

  connect();
})();
