// Unit check of the race page's cost arithmetic (shared/reading/static/cost.js and
// cost_chart.js's scale), run under Node without a browser: each file is a classic
// script, loaded here as the page loads it, into one context.
// Usage: node tests/js/race_cost_units.mjs   (prints "all passed"; exits 1 on a failure)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const context = vm.createContext({});
for (const name of ["cost.js", "cost_chart.js"]) {
  vm.runInContext(readFileSync(new URL(`../../shared/reading/static/${name}`, import.meta.url), "utf8"), context);
}
const raceCost = vm.runInContext("raceCost", context);
const costChart = vm.runInContext("costChart", context);
// The context's arrays and objects have its own prototypes: compare them as plain data.
const plain = (value) => JSON.parse(JSON.stringify(value));

// Per minute since the page opened: 30 polls in 60 s is 30 a minute, 3 in 6 s too.
assert.equal(raceCost.perMinute(30, 60000), 30);
assert.equal(raceCost.perMinute(3, 6000), 30);
assert.equal(raceCost.perMinute(1000, 7000), 8571); // rounded: a plain number
assert.equal(raceCost.perMinute(5, 0), 0);

// CPU share of one core between two GET /api/cost answers of one process.
const before = { process: "host:1", at: 100.0, cpu_seconds: 2.0 };
assert.equal(raceCost.cpuShare(before, { process: "host:1", at: 102.0, cpu_seconds: 2.5 }), 25);
assert.equal(raceCost.cpuShare(null, before), null, "one answer alone says nothing");
assert.equal(raceCost.cpuShare(before, null), null, "a sibling that does not answer");
assert.equal(raceCost.cpuShare(before, { process: "host:2", at: 101, cpu_seconds: 0.1 }), null, "restarted");
assert.equal(raceCost.cpuShare(before, { ...before }), null, "no time between them");

// Bytes per second from cumulative samples; a reloaded board counts from 0 again.
const samples = [
  { at: 0, bytes: 0 },
  { at: 1000, bytes: 500 },
  { at: 3000, bytes: 1500 },
  { at: 4000, bytes: 200 },
];
assert.deepEqual(plain(raceCost.perSecond(samples)), [
  { at: 1000, perSecond: 500 },
  { at: 3000, perSecond: 500 },
  { at: 4000, perSecond: 200 },
]);
assert.deepEqual(plain(raceCost.perSecond(samples.slice(0, 1))), []);

// The chart's scale ends on a round number at or above the highest point.
assert.equal(costChart.niceCeiling(0), 1);
assert.equal(costChart.niceCeiling(1), 1);
assert.equal(costChart.niceCeiling(130), 200);
assert.equal(costChart.niceCeiling(480), 500);
assert.equal(costChart.niceCeiling(501), 1000);
assert.equal(costChart.niceCeiling(0.3), 0.5);

console.log("all passed");
