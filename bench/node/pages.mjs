// bench/node/pages.mjs: the load generator of `make bench`. It plays N browser pages of the
// websockets app, each with its own socket.io connection, and records when every city
// reaches every page. The official socket.io client does the work, so the server under test
// sees what a room of browsers would send it; one Node process holds thousands of pages.
//
// Usage: node bench/node/pages.mjs URL --pages N --first-page K --ramp SECONDS --run RUNID
//
// The orchestrator in bench/ drives it like the Python page simulator, one line at a time.
// stdin:  status [CITYID] | mark NAME | stop          (closing stdin also means stop)
// stdout: {"ready": N}, once every page is live
//         {"status": {"live", "connected", "requests", "received", "have", "errors"}}
//         {"marked": NAME}
//         {"result": {"pages", "marks", "received", "errors", "reconnects"}}, then exit 0
// Anything else goes to stderr: stdout carries the protocol and nothing else.
import net from "node:net";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { io } from "socket.io-client";

const FIRST_RETRY_SECONDS = 1;
const MAX_RETRY_SECONDS = 30;

const { positionals, values: options } = parseArgs({
  allowPositionals: true,
  options: {
    pages: { type: "string" },
    "first-page": { type: "string", default: "0" },
    ramp: { type: "string", default: "0" },
    run: { type: "string" },
  },
});
const url = positionals[0];
const pageCount = Number(options.pages);
const firstPage = Number(options["first-page"]);
const rampSeconds = Number(options.ramp);
if (!url || !(pageCount > 0) || !options.run || !(rampSeconds >= 0)) {
  console.error("usage: node bench/node/pages.mjs URL --pages N --first-page K --ramp SECONDS --run RUNID");
  process.exit(2);
}

const pages = Array.from({ length: pageCount }, (_, index) => newPage(index));
const errors = {}; // connect errors, counted by message
const marks = {};
let everLive = 0; // pages that have been live at least once: all of them means ready
let received = 0; // city deliveries, all pages together
let stopping = false;
let toldFallback = false; // the fallback byte count is said once on stderr

function newPage(index) {
  return {
    client: `${options.run}-${firstPage + index}`,
    socket: null,
    cursor: null, // the newest event this page has applied, sent again on every (re)connect
    live: false,
    seen: new Set(), // city ids this page has, from a state or from an event
    received: [], // [cityId, delayMs] for every city event, in order of arrival
    connects: 0,
    failures: 0, // failed attempts in a row, for the backoff
    requests: 0,
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0, // bytes of connections already closed; the open one is read when needed
    bytesOut: 0,
    tcp: null, // the open connection's net.Socket
  };
}

// ---- one page ---------------------------------------------------------------------------

function openPage(page) {
  if (stopping) return;
  const socket = io(url, {
    forceNew: true, // a connection of its own: io() would otherwise share one per URL
    autoConnect: false, // connect() below, once the engine listener comes first in line
    transports: ["websocket"],
    // A function, as on the real page: every attempt sends the cursor as it is then.
    auth: (send) => send({ client: page.client, cursor: page.cursor }),
    reconnectionDelay: 1000,
    reconnectionDelayMax: 30000,
    randomizationFactor: 0.5,
  });
  page.socket = socket;
  socket.io.on("open", () => watchEngine(page, socket.io.engine));
  socket.on("connect", () => onConnect(page));
  socket.on("state", (state) => onState(page, state));
  socket.on("event", (event) => onEvent(page, event));
  socket.on("connect_error", (error) => {
    errors[error.message] = (errors[error.message] ?? 0) + 1;
    retryIfGivenUp(page);
  });
  socket.on("disconnect", () => retryIfGivenUp(page));
  socket.connect();
}

function onConnect(page) {
  page.connects += 1;
  page.failures = 0;
}

function onState(page, state) {
  page.cursor = state.cursor;
  // A state's cities were there before this page: seen, but not counted as received.
  for (const city of state.cities ?? []) page.seen.add(city.id);
  becomeLive(page);
}

function onEvent(page, event) {
  if (!isAfter(event.cursor, page.cursor)) return;
  page.cursor = event.cursor;
  if (event.type !== "city") return;
  const { id, at } = event.city;
  const delayMs = Math.round((Date.now() - at * 1000) * 10) / 10;
  page.seen.add(id);
  page.received.push([id, delayMs]); // a second delivery too, so the orchestrator sees duplicates
  received += 1;
}

function becomeLive(page) {
  if (page.live) return;
  page.live = true;
  everLive += 1;
  if (everLive === pages.length) say({ ready: pages.length });
}

// A dropped connection: socket.io is already retrying by itself (socket.active). But when
// the server refused the connect or closed the socket on purpose, it leaves the next try to
// the page, which waits 1 s, 2 s, 4 s ... up to 30 s, half of each wait random.
function retryIfGivenUp(page) {
  page.failures += 1;
  if (stopping || page.socket.active) return;
  const ceiling = Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (page.failures - 1));
  const waitMs = (ceiling / 2 + (Math.random() * ceiling) / 2) * 1000;
  setTimeout(() => stopping || page.socket.connect(), waitMs);
}

// Cursors are "milliseconds-sequence": compare them as numbers ("9-0" sorts after "10-0" as text).
function isAfter(candidate, known) {
  if (known === null) return true;
  const [ms, seq] = candidate.split("-").map(Number);
  const [knownMs, knownSeq] = known.split("-").map(Number);
  return ms > knownMs || (ms === knownMs && seq > knownSeq);
}

// ---- what a page costs on the wire ------------------------------------------------------

// Each (re)connection comes with a new engine, the Engine.IO layer under socket.io: count its
// packets, one per WebSocket frame, and find the TCP socket under it to read its byte counts.
function watchEngine(page, engine) {
  page.requests += 1; // the WebSocket handshake: one HTTP request per connection
  page.framesIn += 1; // the engine's "open" packet, which arrived before it could be watched
  const tcp = engine.transport.ws?._socket; // the `ws` WebSocket that engine.io-client uses in Node
  const countFrameSizes = !(tcp instanceof net.Socket);
  if (countFrameSizes) tellFallback();
  else watchTcp(page, tcp);
  engine.on("packet", (packet) => {
    page.framesIn += 1;
    if (countFrameSizes) page.bytesIn += frameSize(packet);
  });
  engine.on("packetCreate", (packet) => {
    page.framesOut += 1;
    if (countFrameSizes) page.bytesOut += frameSize(packet);
  });
}

// The socket's counts include the HTTP upgrade, request and answer, and every frame's header.
// They join the page's totals when it closes, before a reconnection opens the next one.
function watchTcp(page, tcp) {
  page.tcp = tcp;
  tcp.once("close", () => {
    page.bytesIn += tcp.bytesRead;
    page.bytesOut += tcp.bytesWritten;
    if (page.tcp === tcp) page.tcp = null;
  });
}

// The fallback: a packet as a frame carries it, its type, its data and two bytes of header.
function frameSize(packet) {
  const data = packet.data ?? "";
  return 2 + 1 + (typeof data === "string" ? Buffer.byteLength(data) : data.length);
}

function tellFallback() {
  if (toldFallback) return;
  toldFallback = true;
  console.error("pages.mjs: the TCP socket was not found: bytes are estimated from frame sizes");
}

// ---- the control protocol ---------------------------------------------------------------

function say(message, then) {
  process.stdout.write(`${JSON.stringify(message)}\n`, then);
}

function status(cityId) {
  let live = 0;
  let connected = 0;
  let have = 0;
  let requests = 0;
  for (const page of pages) {
    requests += page.requests;
    if (page.socket?.connected) connected += 1;
    if (page.socket?.connected && page.live) live += 1;
    if (cityId && page.seen.has(cityId)) have += 1;
  }
  say({ status: { live, connected, requests, received, have, errors } });
}

function mark(name) {
  const totals = { requests: 0, frames_in: 0, frames_out: 0, bytes_in: 0, bytes_out: 0 };
  for (const page of pages) {
    totals.requests += page.requests;
    totals.frames_in += page.framesIn;
    totals.frames_out += page.framesOut;
    totals.bytes_in += page.bytesIn + (page.tcp?.bytesRead ?? 0);
    totals.bytes_out += page.bytesOut + (page.tcp?.bytesWritten ?? 0);
  }
  marks[name] = { ...totals, at: Date.now() / 1000 };
  say({ marked: name });
}

function stop() {
  if (stopping) return;
  stopping = true;
  for (const page of pages) page.socket?.disconnect();
  const reconnects = pages.reduce((sum, page) => sum + Math.max(0, page.connects - 1), 0);
  const result = {
    pages: pages.length,
    marks,
    received: pages.map((page) => page.received),
    errors,
    reconnects,
  };
  say({ result }, () => process.exit(0)); // exit once the (long) line is written
}

function obey(line) {
  const [command, ...words] = line.trim().split(/\s+/);
  const argument = words.join(" ");
  if (command === "status") status(argument);
  else if (command === "mark" && argument) mark(argument);
  else if (command === "stop") stop();
  else if (command) console.error(`pages.mjs: unknown command ${JSON.stringify(line)}`);
}

// ---- start ------------------------------------------------------------------------------

const commands = readline.createInterface({ input: process.stdin });
commands.on("line", obey);
commands.on("close", stop);
// N/ramp new pages a second, as a room of people opening the page, not one burst.
const gapMs = (rampSeconds * 1000) / pageCount;
pages.forEach((page, index) => setTimeout(() => openPage(page), index * gapMs));
