// long_polling.js: long polling. Ask for what happened after our cursor; the server
// holds the question until there is news. board.js (shared by every technique) draws
// what arrives; this file is the technique.
"use strict";

(() => {
  const holdSeconds = Number(document.body.dataset.holdSeconds);
  let cursor = null; // the newest change this page shows; every question starts after it
  let failures = 0;
  let held = 0;
  let timeouts = 0;
  // A connection can die without a word (a laptop lid, a NAT dropping it): give up
  // on an answer that is later than the hold allows, and ask again.
  const answerDeadlineMs = (holdSeconds + 10) * 1000;

  board.meter.showTransport(`fetch, held up to ${holdSeconds} s`);

  // One round trip: the first asks for the whole board, every later one for the
  // events after the cursor. Answers that bring a state (first, or the cursor was
  // too old) replace the board; answers that bring events change it piece by piece.
  async function ask() {
    const path = cursor === null ? "/api/state" : `/api/updates?cursor=${cursor}&timeout=${holdSeconds}`;
    board.meter.countRequest();
    try {
      const signal = AbortSignal.timeout(answerDeadlineMs);
      const response = await fetch(board.apiUrl(path), { cache: "no-store", signal });
      const text = await response.text();
      board.meter.countResponse(response, text);
      if (!response.ok) {
        // A refused question cannot succeed if asked again: start over from the board.
        if (response.status === 400) cursor = null;
        throw new Error(`HTTP ${response.status}`);
      }
      applyAnswer(JSON.parse(text));
      failures = 0;
      board.status.live();
      // Ask again at once: the next change can only reach this page while a
      // request is waiting for it on the server.
      ask();
    } catch (error) {
      // Server down or Redis away: back off, then ask again with the same cursor,
      // so the events that happened meanwhile all arrive, none twice.
      failures += 1;
      const waitMs = board.retryDelay(failures);
      board.status.retrying(failures, waitMs);
      setTimeout(ask, waitMs);
    }
  }

  function applyAnswer(answer) {
    if (answer.events === undefined) {
      applyState(answer.state || answer);
      return;
    }
    if (answer.events.length === 0) timeouts += 1;
    else held += 1;
    answer.events.forEach(board.applyEvent);
    cursor = answer.cursor;
    document.getElementById("meter-held").textContent = String(held);
    document.getElementById("meter-timeouts").textContent = String(timeouts);
  }

  function applyState(state) {
    board.syncClock(state.now);
    board.render(state);
    cursor = state.cursor;
  }

  ask();
})();
