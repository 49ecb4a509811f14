// board.js: what every technique's page shares. It names this page (a client id),
// draws the board, sends cities, keeps the wire meter and the status line, and says
// goodbye when the page closes. Each technique's own script decides only HOW updates
// arrive, and hands them to render() here, so a diff between two techniques' scripts
// shows nothing but the technique.
"use strict";

const board = (() => {
  const clientId = randomId();
  const technique = document.body.dataset.technique;
  let clockOffset = 0; // the server's clock minus this page's, in seconds
  let citiesRendered = false;
  const counts = { requests: 0, bytes: 0, updates: 0 };
  const delays = [];
  const DELAYS_KEPT = 100;
  const CITIES_SHOWN = 50; // as many as /api/state sends

  // One id per tab. crypto.getRandomValues works on plain http, which a workshop LAN
  // uses; crypto.randomUUID would need https.
  function randomId() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function apiUrl(path) {
    return `${path}${path.includes("?") ? "&" : "?"}client=${clientId}`;
  }

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

  function render(state) {
    show("visits", state.visits);
    showPresence(state.present);
    renderCities(state.cities);
  }

  function showPresence(present) {
    for (const [technique, count] of Object.entries(present)) {
      const element = document.getElementById(`present-${technique}`);
      if (element) element.textContent = String(count);
    }
  }

  // Cities arrive newest first. textContent, never innerHTML: a city called
  // <img src=x onerror=...> is a legal name and must stay text.
  function renderCities(cities) {
    const list = document.getElementById("cities");
    const shown = new Set(Array.from(list.children, (item) => item.dataset.id));
    list.replaceChildren(...cities.map(cityItem));
    // The first board is where this page starts; a city that is new in a later one is news.
    if (citiesRendered) cities.filter((city) => !shown.has(city.id)).forEach(reportCity);
    citiesRendered = true;
  }

  function cityItem(city) {
    const item = document.createElement("li");
    item.className = "city";
    item.textContent = city.name;
    item.dataset.id = city.id;
    return item;
  }

  // Long polling and websockets receive events, not whole boards: each event changes
  // one part of the page, and the technique's script keeps the cursor it carries.
  function applyEvent(event) {
    if (event.type === "city") addCity(event.city);
    else if (event.type === "visits") show("visits", event.visits);
    else if (event.type === "presence") showPresence(event.present);
    meter.countUpdate(event.at);
  }

  function addCity(city) {
    const list = document.getElementById("cities");
    // Cursors mean no event comes twice; this guard only keeps a bug from showing it twice.
    if (list.querySelector(`li[data-id="${city.id}"]`)) return;
    list.prepend(cityItem(city));
    while (list.children.length > CITIES_SHOWN) list.lastElementChild.remove();
    reportCity(city);
  }

  // Framed by the race page (/compare), tell it each city this page shows, and how late.
  // "*": this page does not know which sibling frames it, and need not: the message
  // holds nothing /api/state does not tell anyone, and frame-ancestors (shared/web.py)
  // lets only the sibling apps frame this page at all.
  function reportCity(city) {
    if (window.parent === window) return;
    const report = { type: "city-shown", technique, cityId: city.id, delayMs: delaySince(city.at) };
    window.parent.postMessage(report, "*");
  }

  const meter = {
    countRequest() {
      counts.requests += 1;
      show("meter-requests", counts.requests);
    },
    // Headers and body as they crossed the wire, near enough: the status line,
    // each header as "name: value\r\n", and the body's bytes.
    countResponse(response, bodyText) {
      let size = `HTTP/1.1 ${response.status} ${response.statusText}\r\n\r\n`.length;
      for (const [name, value] of response.headers) size += name.length + value.length + 4;
      size += new TextEncoder().encode(bodyText).length;
      meter.countBytes(size);
    },
    countBytes(size) {
      counts.bytes += size;
      show("meter-bytes", counts.bytes);
    },
    // An update is anything that changed what the page shows; `at` is when the
    // server recorded that change, in epoch seconds on the server's clock.
    countUpdate(at) {
      counts.updates += 1;
      show("meter-updates", counts.updates);
      const delay = delaySince(at);
      delays.push(delay);
      if (delays.length > DELAYS_KEPT) delays.shift();
      const sorted = [...delays].sort((a, b) => a - b);
      show("meter-delay-last", delay);
      show("meter-delay-median", sorted[Math.floor(sorted.length / 2)]);
    },
    showTransport(description) {
      show("meter-transport", description);
    },
  };

  // Retry after a failure with exponential backoff and jitter: a room of laptops
  // that lost the server together must not all come back in the same millisecond.
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 30000;
  const OFFLINE_AFTER_FAILURES = 5;

  function retryDelay(failures) {
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  const status = {
    live() {
      setStatus("live", "live");
    },
    // waitMs is left out by a technique whose library times the retries itself (socket.io).
    retrying(failures, waitMs) {
      const state = failures >= OFFLINE_AFTER_FAILURES || !navigator.onLine ? "offline" : "reconnecting";
      const next = waitMs === undefined ? "trying again shortly" : `next try in ${Math.ceil(waitMs / 1000)} s`;
      setStatus(state, `${state}: ${next}`);
    },
  };

  function setStatus(state, text) {
    const element = document.getElementById("status");
    element.dataset.state = state;
    element.textContent = text;
  }

  // How a city travels to the server: a POST to /api/cities, unless the technique
  // has a channel of its own (websockets sends it on its socket) and says so with
  // board.sendCitiesWith(). Either way the answer is {city: ...} or {error: "..."}.
  let sendCity = postCity;

  async function postCity(name) {
    meter.countRequest();
    const response = await fetch(apiUrl("/api/cities"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    });
    const text = await response.text();
    meter.countResponse(response, text);
    const answer = JSON.parse(text);
    return response.status === 201 ? { city: answer } : answer;
  }

  function sendCitiesWith(sender) {
    sendCity = sender;
  }

  async function submitCity(event) {
    event.preventDefault();
    const input = document.getElementById("city-input");
    try {
      const name = input.value;
      const answer = await sendCity(name);
      if (answer.error) {
        // The typed name stays in the box, so nothing is lost to a refusal.
        show("form-message", answer.error);
      } else {
        // Clear only what was sent: the next city may already be typed while this one travelled.
        if (input.value === name) input.value = "";
        show("form-message", "Sent. It shows here when this page next hears from the server.");
      }
    } catch (error) {
      show("form-message", "Could not reach the server; your city is still in the box.");
    }
  }

  document.getElementById("city-form").addEventListener("submit", submitCity);
  // Closing the tab: tell the server now rather than letting the presence window lapse.
  window.addEventListener("pagehide", () => navigator.sendBeacon(apiUrl("/api/leave")));

  return { clientId, apiUrl, syncClock, render, applyEvent, meter, retryDelay, status, sendCitiesWith };
})();
