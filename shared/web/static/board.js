// board.js: what every technique's page shares. It names this page (a client id),
// draws the board, sends cities, and says goodbye when the page closes; it hands the
// technique's script the wire meter (meter.js) and the status line (status.js). Each
// technique's own script decides only HOW updates arrive, and hands them to render()
// here, so a diff between two techniques' scripts shows nothing but the technique.
"use strict";

const board = (() => {
  const clientId = randomId();
  const technique = document.body.dataset.technique;
  const meter = wireMeter;
  let citiesRendered = false;
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
  function reportCity(city) {
    meter.tellRacePage({ type: "city-shown", technique, cityId: city.id, delayMs: meter.delaySince(city.at) });
  }

  // Framed in a lane of the race page, the explainer folds away and the wire meter moves
  // up (board.css), so the lane shows the cost the race is about. A page of its own is unchanged.
  function foldForTheRace() {
    if (window.parent === window) return;
    document.body.dataset.framed = "race";
    document.querySelector(".explainer").open = false;
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

  foldForTheRace();
  document.getElementById("city-form").addEventListener("submit", submitCity);
  // Closing the tab: tell the server now rather than letting the presence window lapse.
  window.addEventListener("pagehide", () => navigator.sendBeacon(apiUrl("/api/leave")));

  return {
    clientId,
    apiUrl,
    render,
    applyEvent,
    sendCitiesWith,
    meter,
    syncClock: meter.syncClock,
    status: pageStatus,
    retryDelay: pageStatus.retryDelay,
  };
})();
