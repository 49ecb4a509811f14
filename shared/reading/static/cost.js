// cost.js: the arithmetic of the race page's cost figures, and the one question it asks
// each sibling app. The counts come from each board's own wire meter (meter.js tells the
// race page); the CPU from each app's GET /api/cost. compare.js shows them.
"use strict";

const raceCost = (() => {
  const COST_ANSWERED_WITHIN_MS = 2000; // a sibling slower than this counts as not answering

  // A cumulative count as a rate per minute over `elapsedMs`, rounded: a plain number.
  function perMinute(count, elapsedMs) {
    return elapsedMs > 0 ? Math.round((count * 60000) / elapsedMs) : 0;
  }

  // The server's CPU share, in percent of one core, between two answers of its
  // GET /api/cost; null if they do not compare (none before, or another process since).
  function cpuShare(before, after) {
    if (!before || !after || before.process !== after.process || after.at <= before.at) return null;
    return (100 * (after.cpu_seconds - before.cpu_seconds)) / (after.at - before.at);
  }

  // Cumulative samples [{at (ms), bytes}] as rates [{at, perSecond}], one per step. A count
  // that fell (its board was reloaded and counts from 0 again) counts from 0.
  function perSecond(samples) {
    const rates = [];
    for (let i = 1; i < samples.length; i += 1) {
      const [before, after] = [samples[i - 1], samples[i]];
      const received = after.bytes >= before.bytes ? after.bytes - before.bytes : after.bytes;
      if (after.at > before.at) rates.push({ at: after.at, perSecond: (1000 * received) / (after.at - before.at) });
    }
    return rates;
  }

  // The sibling's GET /api/cost answer, or null when it does not answer: not running,
  // too slow, or refusing. The race page then shows "–", never an error.
  async function readCost(origin) {
    try {
      const response = await fetch(`${origin}/api/cost`, {
        cache: "no-store",
        signal: AbortSignal.timeout(COST_ANSWERED_WITHIN_MS),
      });
      return response.ok ? await response.json() : null;
    } catch (error) {
      return null;
    }
  }

  return { perMinute, cpuShare, perSecond, readCost };
})();
