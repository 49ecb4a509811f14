// Draws the docs' sequence diagrams. Each one arrives as its Mermaid source in a
// <pre class="mermaid"> (readable as it is with JavaScript off); Mermaid, served by
// the app from node_modules, replaces that text with an SVG drawing.
"use strict";

// "strict": labels in a diagram are text, never HTML, and clicks run nothing.
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
mermaid.run({ querySelector: "pre.mermaid" }).catch((error) => {
  // Say which diagram failed and why, in words (a bare rejection reads "Object").
  console.error(`a diagram could not be drawn: ${error.message || error.str || error}`);
});
