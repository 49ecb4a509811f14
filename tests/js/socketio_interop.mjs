// Interop check: the official socket.io JavaScript client (4.x, from node_modules) against
// the Python server. Two sockets connect the way a page does (HTTP long polling, then the
// upgrade to a WebSocket); one sends a city, the other must receive it as an event.
// Usage: node tests/js/socketio_interop.mjs http://127.0.0.1:5003 "City name"
// Prints one JSON line per step; exits 1 on any failure, 2 if it takes too long.
import { io } from "socket.io-client";

const [url, cityName] = process.argv.slice(2);
const report = (step, details = {}) => console.log(JSON.stringify({ step, ...details }));
setTimeout(() => {
  report("timeout");
  process.exit(2);
}, 15000).unref();

function open(client) {
  const socket = io(url, { auth: { client }, reconnection: false });
  const ready = new Promise((resolve, reject) => {
    socket.once("state", (state) => resolve(state));
    socket.once("connect_error", reject);
  });
  return { socket, ready };
}

// Resolves once the socket runs on a WebSocket (it may already have upgraded).
function upgraded(socket) {
  if (socket.io.engine.transport.name === "websocket") return Promise.resolve();
  return new Promise((resolve) => socket.io.engine.once("upgrade", resolve));
}

try {
  const watcher = open("node-watcher");
  const sender = open("node-sender");
  const [watcherState] = await Promise.all([watcher.ready, sender.ready]);
  report("state", { cursor: watcherState.cursor });
  await Promise.all([upgraded(watcher.socket), upgraded(sender.socket)]);
  report("upgraded", { transports: [watcher.socket, sender.socket].map((s) => s.io.engine.transport.name) });
  const arrived = new Promise((resolve) =>
    watcher.socket.on("event", (event) => event.type === "city" && resolve(event)),
  );
  const answer = await sender.socket.timeout(5000).emitWithAck("city", { name: cityName });
  report("ack", answer);
  const event = await arrived;
  report("received", { city: event.city, cursor: event.cursor });
  watcher.socket.close();
  sender.socket.close();
} catch (error) {
  report("failed", { error: String(error) });
  process.exit(1);
}
