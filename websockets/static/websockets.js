// websockets.js: WebSockets with socket.io. One connection stays open and the server pushes.
// board.js (shared by every technique) draws what arrives; this file is the technique.
"use strict";

(() => {
  const PING_EVERY_MS = 5000;
  const ANSWER_TIMEOUT_MS = 5000;
  let cursor = null; // the newest change this page shows: sent again on every (re)connect
  let failures = 0;

  if (typeof io === "undefined") {
    // The app serves the client from node_modules; without it there is nothing to connect with.
    document.getElementById("status").textContent = "the socket.io client is missing: run make setup";
    return;
  }

  // One connection for the page's life. socket.io starts with HTTP long polling, then
  // upgrades to a WebSocket (watch the meter's transport). When the connection drops,
  // socket.io reconnects by itself, waiting 1 s, 2 s, 4 s ... up to 30 s, each wait
  // randomised by half either way, so a room of tabs does not return in one instant.
  // auth is a function so that every attempt sends the cursor as it is then: the
  // server replays exactly what this page missed.
  const socket = io({
    auth: (send) => send({ client: board.clientId, cursor }),
    reconnectionDelay: 1000,
    reconnectionDelayMax: 30000,
    randomizationFactor: 0.5,
  });

  socket.on("state", applyState);
  socket.on("event", (event) => {
    // The server sends each event once; this guard keeps a bug from applying one twice.
    if (!isAfter(event.cursor, cursor)) return;
    cursor = event.cursor;
    board.applyEvent(event);
  });

  socket.on("connect", () => {
    failures = 0;
    board.status.live();
    measurePing();
  });
  // A dropped connection, or a failed attempt to reconnect: socket.io is already trying
  // again (socket.active). But when the server refused the connection (say its Redis is
  // away) or closed it on purpose, socket.io leaves the next try to this page.
  socket.on("disconnect", retry);
  socket.on("connect_error", retry);

  function retry() {
    failures += 1;
    if (socket.active) {
      board.status.retrying(failures);
    } else {
      const waitMs = board.retryDelay(failures);
      board.status.retrying(failures, waitMs);
      setTimeout(() => socket.connect(), waitMs);
    }
  }

  function applyState(state) {
    const isUpdate = cursor !== null;
    cursor = state.cursor;
    board.syncClock(state.now);
    board.render(state);
    // A state after the first one means this page was away too long to replay.
    if (isUpdate) board.meter.countUpdate(cursorTime(state.cursor));
  }

  // Cursors are "milliseconds-sequence": compare them as pairs of numbers, never as
  // strings ("9-0" sorts after "10-0" as text).
  function isAfter(candidate, known) {
    if (known === null) return true;
    const [ms, seq] = candidate.split("-").map(Number);
    const [knownMs, knownSeq] = known.split("-").map(Number);
    return ms > knownMs || (ms === knownMs && seq > knownSeq);
  }

  function cursorTime(someCursor) {
    return Number(someCursor.split("-")[0]) / 1000;
  }

  // The meter counts Engine.IO packets, the layer under socket.io: what this page sends
  // (its events, and the pongs that answer the server's heartbeat) and what it receives,
  // sized as a WebSocket frame would carry it. A new engine comes with each reconnection.
  socket.io.on("open", () => {
    const engine = socket.io.engine;
    board.meter.showTransport(engine.transport.name);
    engine.on("upgrade", (transport) => board.meter.showTransport(transport.name));
    engine.on("packetCreate", () => board.meter.countRequest());
    engine.on("packet", (packet) => board.meter.countBytes(frameSize(packet)));
  });

  function frameSize(packet) {
    const data = typeof packet.data === "string" ? packet.data : "";
    const payload = 1 + new TextEncoder().encode(data).length; // the packet type, then its data
    return payload + (payload < 126 ? 2 : payload < 65536 ? 4 : 10); // the frame's own header
  }

  // socket.io's heartbeat does not tell the page how long a round trip takes, so it
  // measures one: an event the server acknowledges at once, every few seconds.
  function measurePing() {
    if (!socket.connected) return;
    const started = performance.now();
    socket.timeout(ANSWER_TIMEOUT_MS).emit("ping", (error) => {
      if (!error) {
        document.getElementById("meter-ping").textContent = String(Math.round(performance.now() - started));
      }
    });
  }
  setInterval(measurePing, PING_EVERY_MS);

  // Cities go up the same socket, and the server's acknowledgement says {city} or {error}.
  // A city typed while disconnected is refused at once: socket.io would otherwise buffer
  // it and send it on reconnecting, after this page had said it failed.
  board.sendCitiesWith((name) => {
    if (!socket.connected) return Promise.reject(new Error("not connected"));
    return socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck("city", { name });
  });
})();
