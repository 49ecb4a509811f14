// compare.js: the race page. "Send once" posts one city to this app; each pane's board
// tells this page when it shows a city and how late (board.js, with postMessage), and
// this page writes each technique's delay above its pane, with its place in the race.
"use strict";

(() => {
  const PLACES = ["1st", "2nd", "3rd", "4th", "5th"];
  // Each pane by the origin of the board it frames: a message counts only if it comes
  // from that origin and from that very frame, so no other page can fake a result.
  const panes = new Map(
    Array.from(document.querySelectorAll(".pane iframe"), (frame) => [
      new URL(frame.src).origin,
      {
        frame,
        technique: frame.dataset.technique,
        label: frame.dataset.technique.replace("_", " "),
        result: document.getElementById(`result-${frame.dataset.technique}`),
      },
    ]),
  );
  // The delays reported since the last send: city id -> technique -> ms. A fast pane can
  // show the city before this page has read the server's answer that names it.
  let reports = new Map();
  let racedCityId = null;

  window.addEventListener("message", (event) => {
    const pane = panes.get(event.origin);
    const report = event.data || {};
    if (!pane || event.source !== pane.frame.contentWindow) return;
    if (report.type !== "city-shown" || report.technique !== pane.technique) return;
    if (!Number.isFinite(report.delayMs)) return;
    if (!reports.has(report.cityId)) reports.set(report.cityId, new Map());
    reports.get(report.cityId).set(pane.technique, report.delayMs);
    if (report.cityId === racedCityId) showResults();
  });

  function showResults() {
    const delays = reports.get(racedCityId) || new Map();
    const sorted = [...delays.values()].sort((a, b) => a - b);
    for (const pane of panes.values()) {
      const delay = delays.get(pane.technique);
      if (delay === undefined) {
        pane.result.textContent = `${pane.label}: waiting…`;
        delete pane.result.dataset.rank;
        continue;
      }
      const place = sorted.indexOf(delay) + 1; // equal delays share a place
      pane.result.textContent = `${pane.label}: ${delay.toLocaleString("en")} ms · ${PLACES[place - 1]}`;
      pane.result.dataset.rank = String(place);
    }
  }

  function say(text) {
    document.getElementById("race-message").textContent = text;
  }

  // One POST to this app's own API (same origin), as any board's form would send it.
  async function sendOnce(event) {
    event.preventDefault();
    reports = new Map();
    racedCityId = null;
    try {
      const response = await fetch("/api/cities", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: document.getElementById("race-city").value }),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        say(answer.error || `the server answered ${response.status}`);
        return;
      }
      racedCityId = answer.id;
      say(`Sent “${answer.name}” once: each pane shows its delay as soon as it shows the city.`);
      showResults();
    } catch (error) {
      say("Could not reach the server.");
    }
  }

  document.getElementById("race-form").addEventListener("submit", sendOnce);
})();
