// meter.js: the wire meter every page shows. What this page's technique has cost so
// far (requests or frames sent, bytes received, updates) and how late each update
// came. board.js hands it to the technique's script as board.meter; that script
// counts what it sends and receives, because only it knows what crossed the wire.
// Framed by the race page (/compare), it also tells that page its counts, so the race
// shows each technique's cost from the very meter its board shows.
"use strict";

const wireMeter = (() => {
  let clockOffset = 0; // the server's clock minus this page's, in seconds
  const counts = { requests: 0, bytes: 0, updates: 0 };
  const technique = document.body.dataset.technique;
  const COUNTS_REPORTED_EVERY_MS = 500; // at most this often, so a busy page sends few messages
  let countsReportDue = false;
  const delays = [];
  const DELAYS_KEPT = 100;

  function show(id, value) {
    document.getElementById(id).textContent = String(value);
  }

  // Delays are measured on the server's clock: the page learns the offset from the
  // "now" of each state, so a skewed laptop clock does not skew the meter.
  function syncClock(serverNow) {
    clockOffset = serverNow - Date.now() / 1000;
  }

  // Milliseconds from `at` (when the server recorded a change, in epoch seconds on its
  // clock) until now, when this page shows it.
  function delaySince(at) {
    return Math.max(0, Math.round((Date.now() / 1000 + clockOffset - at) * 1000));
  }

  function countRequest() {
    counts.requests += 1;
    show("meter-requests", counts.requests);
    reportCounts();
  }

  // Headers and body as they crossed the wire, near enough: the status line,
  // each header as "name: value\r\n", and the body's bytes.
  function countResponse(response, bodyText) {
    let size = `HTTP/1.1 ${response.status} ${response.statusText}\r\n\r\n`.length;
    for (const [name, value] of response.headers) size += name.length + value.length + 4;
    size += new TextEncoder().encode(bodyText).length;
    countBytes(size);
  }

  function countBytes(size) {
    counts.bytes += size;
    show("meter-bytes", counts.bytes);
    reportCounts();
  }

  // An update is anything that changed what the page shows; `at` is when the
  // server recorded that change, in epoch seconds on the server's clock.
  function countUpdate(at) {
    counts.updates += 1;
    show("meter-updates", counts.updates);
    reportCounts();
    // A wiped board's fresh state (its cursor "0-0") carries no time to measure a delay from.
    if (!at) return;
    const delay = delaySince(at);
    delays.push(delay);
    if (delays.length > DELAYS_KEPT) delays.shift();
    const sorted = [...delays].sort((a, b) => a - b);
    show("meter-delay-last", delay);
    show("meter-delay-median", sorted[Math.floor(sorted.length / 2)]);
  }

  function showTransport(description) {
    show("meter-transport", description);
  }

  // Framed by the race page, tell it something (a city shown, the counts so far).
  // "*": this page does not know which sibling frames it, and need not: the reports hold
  // nothing /api/state does not tell anyone, and frame-ancestors (shared/web/headers.py)
  // lets only the sibling apps frame this page at all.
  function tellRacePage(report) {
    if (window.parent !== window) window.parent.postMessage(report, "*");
  }

  // The counts so far, cumulative, half a second after the first change since the last
  // report: every change is reported, and many changes make one message.
  function reportCounts() {
    if (window.parent === window || countsReportDue) return;
    countsReportDue = true;
    setTimeout(() => {
      countsReportDue = false;
      tellRacePage({ type: "wire-meter", technique, ...counts });
    }, COUNTS_REPORTED_EVERY_MS);
  }

  return { syncClock, delaySince, countRequest, countResponse, countBytes, countUpdate, showTransport, tellRacePage };
})();
