// compare.js: the race page. "Send once" posts one city to this app; each pane's board
// tells this page when it shows a city and how late, and what its wire meter has counted
// (meter.js, with postMessage). This page writes each technique's delay above its pane,
// with its place in the race, and its cost since this page opened: the board's requests
// and bytes per minute, and its server's CPU from that app's GET /api/cost (cost.js),
// drawn as a chart of bytes per second too (cost_chart.js).
"use strict";

(() => {
  const PLACES = ["1st", "2nd", "3rd", "4th", "5th"];
  const COST_READ_EVERY_MS = 1000; // the figures, the chart's points and each server's CPU
  const SAMPLES_KEPT = 181; // a point a second for the chart's 3 minutes
  const openedAt = performance.now();
  let sampledAt = openedAt; // when the chart's latest points were taken
  // Each pane by the origin of the board it frames: a message counts only if it comes
  // from that origin and from that very frame, so no other page can fake a result.
  const panes = new Map(
    Array.from(document.querySelectorAll(".pane iframe"), (frame) => {
      const technique = frame.dataset.technique;
      const origin = new URL(frame.src).origin;
      const pane = { frame, technique, origin, label: technique.replace("_", " ") };
      pane.result = document.getElementById(`result-${technique}`);
      pane.colour = getComputedStyle(frame.closest(".pane")).getPropertyValue("--technique-colour");
      pane.counts = null; // the board's latest wire meter counts, cumulative
      pane.samples = []; // its bytes so far, once a second: [{at, bytes}]
      pane.lastCost = null; // its server's latest GET /api/cost answer
      pane.readingCost = false;
      return [origin, pane];
    }),
  );
  // The delays reported since the last send: city id -> technique -> ms. A fast pane can
  // show the city before this page has read the server's answer that names it.
  let reports = new Map();
  let racedCityId = null;

  window.addEventListener("message", (event) => {
    const pane = panes.get(event.origin);
    const report = event.data || {};
    if (!pane || event.source !== pane.frame.contentWindow) return;
    if (report.technique !== pane.technique) return;
    if (report.type === "city-shown" && Number.isFinite(report.delayMs)) noteCityShown(pane, report);
    const counts = [report.requests, report.bytes, report.updates];
    if (report.type === "wire-meter" && counts.every(Number.isFinite)) noteCounts(pane, report);
  });

  function noteCityShown(pane, report) {
    if (!reports.has(report.cityId)) reports.set(report.cityId, new Map());
    reports.get(report.cityId).set(pane.technique, report.delayMs);
    if (report.cityId === racedCityId) showResults();
  }

  function noteCounts(pane, report) {
    pane.counts = { requests: report.requests, bytes: report.bytes, updates: report.updates };
    showCost(pane);
  }

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

  function show(id, value) {
    document.getElementById(id).textContent = String(value);
  }

  // What the pane's board has cost since this page opened, per minute: plain numbers, as the meter's.
  function showCost(pane) {
    if (!pane.counts) return;
    const elapsedMs = performance.now() - openedAt;
    show(`cost-${pane.technique}-requests`, raceCost.perMinute(pane.counts.requests, elapsedMs));
    show(`cost-${pane.technique}-bytes`, raceCost.perMinute(pane.counts.bytes, elapsedMs));
  }

  // The server's CPU share since its last answer, in percent of one core; "–" while it does not answer.
  async function showServerCpu(pane) {
    if (pane.readingCost) return; // a slow sibling is asked again once it has answered
    pane.readingCost = true;
    const cost = await raceCost.readCost(pane.origin);
    pane.readingCost = false;
    const share = raceCost.cpuShare(pane.lastCost, cost);
    pane.lastCost = cost;
    if (!cost) show(`server-${pane.technique}-cpu`, "–");
    else if (share !== null) show(`server-${pane.technique}-cpu`, share.toFixed(1));
  }

  function readCostOnce() {
    sampledAt = performance.now();
    for (const pane of panes.values()) {
      showCost(pane);
      showServerCpu(pane);
      pane.samples.push({ at: sampledAt, bytes: pane.counts ? pane.counts.bytes : 0 });
      if (pane.samples.length > SAMPLES_KEPT) pane.samples.shift();
    }
    drawChart();
  }

  // Each board's bytes per second up to its latest sample; again at once when the window
  // changes size (a projector's mode), so the chart is never drawn stretched.
  function drawChart() {
    const lines = Array.from(panes.values(), (pane) => ({ colour: pane.colour, rates: raceCost.perSecond(pane.samples) }));
    costChart.draw(document.getElementById("cost-chart"), lines, sampledAt);
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
  window.addEventListener("resize", drawChart);
  setInterval(readCostOnce, COST_READ_EVERY_MS);
  readCostOnce();
})();
