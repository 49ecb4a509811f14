// status.js: the status line every page shows (live, reconnecting or offline), and the
// wait before the next try. board.js hands both to the technique's script
// (board.status, board.retryDelay), which knows when its connection fails.
"use strict";

const pageStatus = (() => {
  // Retry after a failure with exponential backoff and jitter: a room of laptops
  // that lost the server together must not all come back in the same millisecond.
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 30000;
  const OFFLINE_AFTER_FAILURES = 5;

  function retryDelay(failures) {
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  function live() {
    setStatus("live", "live");
  }

  // waitMs is left out by a technique whose library times the retries itself (socket.io).
  function retrying(failures, waitMs) {
    const state = failures >= OFFLINE_AFTER_FAILURES || !navigator.onLine ? "offline" : "reconnecting";
    const next = waitMs === undefined ? "trying again shortly" : `next try in ${Math.ceil(waitMs / 1000)} s`;
    setStatus(state, `${state}: ${next}`);
  }

  function setStatus(state, text) {
    const element = document.getElementById("status");
    element.dataset.state = state;
    element.textContent = text;
  }

  return { retryDelay, live, retrying };
})();
