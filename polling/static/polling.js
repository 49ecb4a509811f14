// polling.js: AJAX polling. Every few seconds, ask for the whole board.
// board.js (shared by every technique) draws what arrives; this file is the technique.
"use strict";

(() => {
  const intervalMs = Number(document.body.dataset.pollInterval) * 1000;
  let etag = null; // the cursor of the board this page shows
  let failures = 0;
  let emptyPolls = 0;

  board.meter.showTransport(`fetch, every ${intervalMs / 1000} s`);

  async function poll() {
    // If-None-Match carries the ETag of the board we already show: when it is still
    // current the server answers 304 with no body. cache: "no-store" keeps the
    // browser's cache out of the way, so this script sees the 304 itself.
    const headers = etag ? { "If-None-Match": etag } : {};
    board.meter.countRequest();
    try {
      const response = await fetch(board.apiUrl("/api/state"), { headers, cache: "no-store" });
      const text = await response.text();
      board.meter.countResponse(response, text);
      if (response.status === 304) {
        emptyPolls += 1;
        document.getElementById("meter-empty").textContent = String(emptyPolls);
      } else if (response.ok) {
        applyState(JSON.parse(text), response.headers.get("ETag"));
      } else {
        throw new Error(`HTTP ${response.status}`);
      }
      failures = 0;
      board.status.live();
      setTimeout(poll, intervalMs);
    } catch (error) {
      // Server down or Redis away: back off, then ask again. The next answer is a
      // whole board, so nothing that happened meanwhile is lost.
      failures += 1;
      const waitMs = board.retryDelay(failures);
      board.status.retrying(failures, waitMs);
      setTimeout(poll, waitMs);
    }
  }

  function applyState(state, newEtag) {
    const isUpdate = etag !== null;
    etag = newEtag;
    board.syncClock(state.now);
    board.render(state);
    // The cursor's first part is when the newest change was recorded (ms), which
    // is what the delay is measured from. The first answer is the page's starting
    // point, not an update.
    if (isUpdate) board.meter.countUpdate(Number(state.cursor.split("-")[0]) / 1000);
  }

  poll();
})();
