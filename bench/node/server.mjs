// bench/node/server.mjs: the benchmark's reference, Node's own socket.io server, written the
// way a Node tutorial would write it. `make bench` runs the same load against it and against
// the Python websockets app, so the numbers say what Python and gevent cost, not socket.io.
// It speaks only the part of the board's protocol the load needs: POST /api/cities, GET
// /api/state, and the "state" and "event" messages. No Redis, no visits, no replay.
// Usage: node bench/node/server.mjs PORT   (prints "listening on ..." once it is ready)
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
let lastMs = 0;
let sequence = 0;

// Ids look like the Python app's cursors, "milliseconds-sequence", so pages compare them alike.
function nextId() {
  const ms = Math.max(Date.now(), lastMs);
  sequence = ms === lastMs ? sequence + 1 : 0;
  lastMs = ms;
  return `${ms}-${sequence}`;
}

function state() {
  const present = { total: io.of("/").sockets.size };
  return { visits: 0, present, cities: [], cursor: "0-0", now: Date.now() / 1000 };
}

function answer(response, status, body) {
  response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(request) {
  let text = "";
  for await (const chunk of request) text += chunk;
  return JSON.parse(text);
}

async function addCity(request, response) {
  const body = await readJson(request).catch(() => null);
  if (typeof body?.name !== "string" || !body.name.trim()) {
    return answer(response, 400, { error: 'send JSON such as {"name": "Oslo"}' });
  }
  const id = nextId();
  const city = { id, name: body.name.trim(), at: Number(id.split("-")[0]) / 1000 };
  answer(response, 201, city);
  // Every connected page gets the city at once: the push that the benchmark times.
  io.emit("event", { type: "city", city, cursor: id, at: city.at });
}

const httpServer = createServer((request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  if (request.method === "POST" && path === "/api/cities") return addCity(request, response);
  if (request.method === "GET" && path === "/api/state") return answer(response, 200, state());
  answer(response, 404, { error: "not found" });
});

// socket.io's defaults otherwise (pingInterval 25 s, no permessage-deflate, same origin only).
const io = new Server(httpServer, { transports: ["websocket", "polling"] });
io.on("connection", (socket) => socket.emit("state", state())); // auth is accepted and ignored

httpServer.listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port}`));
process.on("SIGTERM", () => io.close(() => process.exit(0))); // io.close() closes httpServer too
