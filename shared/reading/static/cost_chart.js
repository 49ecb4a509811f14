// cost_chart.js: the race page's live chart, drawn on a <canvas> by the page itself (no
// library: the workshop may be offline). One line per technique, in its colour, of the
// bytes per second its board received, over the last few minutes; compare.js feeds it.
"use strict";

const costChart = (() => {
  const SHOWN_MS = 3 * 60 * 1000;
  const MINUTE_MS = 60 * 1000;
  const MARGIN = { left: 76, right: 10, top: 10, bottom: 22 }; // CSS pixels, room for the labels
  const LINE_WIDTH = 3; // thick enough for the back of a room
  const ROOM_FOR_EVERY_MINUTE = 360; // CSS pixels of plot that fit a label per minute

  // The round number at or above `value` that the y axis ends on: 1, 2 or 5 times a power of ten.
  function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= value);
  }

  // Draw `lines` ([{colour, rates: [{at, perSecond}]}]) as they stood from SHOWN_MS before `now` to `now`.
  function draw(canvas, lines, now) {
    const context = sizedContext(canvas);
    const [width, height] = [canvas.clientWidth, canvas.clientHeight];
    const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
    const shown = lines.map((line) => ({ ...line, rates: line.rates.filter((rate) => rate.at >= now - SHOWN_MS) }));
    const top = niceCeiling(Math.max(0, ...shown.flatMap((line) => line.rates.map((rate) => rate.perSecond))));
    const x = (at) => plot.left + ((at - (now - SHOWN_MS)) / SHOWN_MS) * (plot.right - plot.left);
    const y = (perSecond) => plot.bottom - (perSecond / top) * (plot.bottom - plot.top);
    drawAxes(context, plot, top, x, now, getComputedStyle(canvas));
    for (const line of shown) drawLine(context, line, x, y);
  }

  // The canvas's drawing buffer at the screen's own pixels, so lines stay sharp on a projector.
  function sizedContext(canvas) {
    const scale = window.devicePixelRatio || 1;
    canvas.width = Math.round(canvas.clientWidth * scale);
    canvas.height = Math.round(canvas.clientHeight * scale);
    const context = canvas.getContext("2d");
    context.setTransform(scale, 0, 0, scale, 0, 0);
    return context;
  }

  // The scale (0, half, the top) and the time (minutes ago), in the page's colours (compare.css).
  function drawAxes(context, plot, top, x, now, style) {
    context.strokeStyle = style.getPropertyValue("--line");
    context.fillStyle = style.color;
    context.font = "600 13px system-ui, sans-serif";
    context.lineWidth = 1;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const level of [0, top / 2, top]) {
      const at = plot.bottom - (level / top) * (plot.bottom - plot.top);
      context.beginPath();
      context.moveTo(plot.left, at);
      context.lineTo(plot.right, at);
      context.stroke();
      context.fillText(`${level.toLocaleString("en")} B/s`, plot.left - 6, at);
    }
    context.textBaseline = "top";
    const step = plot.right - plot.left < ROOM_FOR_EVERY_MINUTE ? SHOWN_MS : MINUTE_MS; // a phone: the ends only
    for (let ago = SHOWN_MS; ago >= 0; ago -= step) {
      context.textAlign = ago === SHOWN_MS ? "left" : ago === 0 ? "right" : "center";
      context.fillText(ago === 0 ? "now" : `${ago / MINUTE_MS} min ago`, x(now - ago), plot.bottom + 5);
    }
  }

  function drawLine(context, line, x, y) {
    context.strokeStyle = line.colour;
    context.lineWidth = LINE_WIDTH;
    context.lineJoin = "round";
    context.beginPath();
    line.rates.forEach((rate, index) => {
      if (index === 0) context.moveTo(x(rate.at), y(rate.perSecond));
      else context.lineTo(x(rate.at), y(rate.perSecond));
    });
    context.stroke();
  }

  return { niceCeiling, draw };
})();
