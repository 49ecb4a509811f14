"""The bench's three charts, drawn from the same results as its written report.

Each chart is a small PNG (800 × 450 px) meant to sit in a Markdown page on GitHub:
how late each subject delivered, what it cost on the wire, and how its delay grows
with N. A subject keeps one colour in all three, so the eye can follow it across.
"""

from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

# Draw into files only: the bench runs in terminals and CI, where there is no display.
matplotlib.use("Agg")

SIZE_INCHES, DPI = (8, 4.5), 100  # 800 × 450 px: readable in a GitHub page without zooming
LIMIT_MS = 500  # the websocket-shootout benchmark's limit on the p95 delay (bench/full.py)
LIMIT_STYLE = {"color": "grey", "linestyle": ":", "label": f"{LIMIT_MS} ms (websocket-shootout limit)"}


def draw_charts(results, folder):
    """Write the three charts into `folder` and return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    colours = subject_colours(results)
    paths = []
    for name, draw in (
        ("delay-distribution.png", delay_distribution),
        ("bytes-per-city.png", bytes_per_city),
        ("delay-vs-pages.png", delay_vs_pages),
    ):
        # A bare Figure, not pyplot: nothing global to close, and no window is ever asked for.
        figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
        draw(figure, results, colours)
        paths.append(folder / name)
        figure.savefig(paths[-1])
    return paths


def subject_colours(results):
    """One colour per subject, in the order the bench ran them, then any subject seen only in capacity.

    A technique's textbook path takes the light shade of its tuned path's colour (tab20 pairs them).
    """
    names = [run["subject"] for run in results["runs"]] + list(results.get("capacity") or {})
    tuned = list(dict.fromkeys(name.removesuffix("_textbook") for name in names))
    palette = matplotlib.color_sequences["tab20"]
    shade = {
        name: 2 * tuned.index(name.removesuffix("_textbook")) + name.endswith("_textbook") for name in names
    }
    return {name: palette[index % len(palette)] for name, index in shade.items()}


def title(results, what, pages=None):
    """A chart title that says which N and which day the figures come from."""
    return f"{what}, N = {pages or format(results['plan']['pages'], ',')} pages, {results['date']}"


def legend_below(figure):
    """The legend under the plot, where it cannot hide a line."""
    figure.legend(loc="outside lower center", ncols=3, fontsize="small", frameon=False)


def delay_distribution(figure, results, colours):
    """Each run's delivery delays as a CDF: the share of deliveries that arrived within x ms."""
    axes = figure.subplots()
    for run in results["runs"]:
        quantiles = run.get("delay_quantiles_ms") or []
        if not quantiles:
            continue  # no deliveries, nothing to draw
        # The quantiles are evenly spaced, so the i-th of n stands for the share i / (n - 1).
        shares = [i / max(1, len(quantiles) - 1) for i in range(len(quantiles))]
        axes.plot(quantiles, shares, color=colours[run["subject"]], label=run["label"])
    axes.axvline(LIMIT_MS, **LIMIT_STYLE)
    # Log scale: polling's delays run to thousands of ms, sockets' to tens; a linear axis
    # would squash the sockets against the left edge.
    axes.set(xscale="log", ylim=(0, 1), title=title(results, "Delivery delay"))
    axes.set_xlabel("delay from the server recording a city to a page showing it (ms, log scale)")
    axes.set_ylabel("share of deliveries this fast")
    axes.grid(alpha=0.3)
    legend_below(figure)


def bytes_per_city(figure, results, colours):
    """Bytes on the wire per delivered city, and per idle page-minute, one bar per run."""
    runs = results["runs"]
    per_city, per_idle_minute = figure.subplots(1, 2, sharey=True)
    bars(per_city, runs, colours, lambda run: (run.get("per_city") or {}).get("bytes"))
    bars(per_idle_minute, runs, colours, lambda run: (run.get("per_idle_page_minute") or {}).get("bytes"))
    per_city.set_yticks(range(len(runs)), [run["label"] for run in runs])
    per_city.invert_yaxis()  # top to bottom in the order the bench ran them (the y axis is shared)
    per_city.set_title("per delivered city", fontsize="medium")
    per_city.set_xlabel("bytes, both directions")
    per_idle_minute.set_title("per idle page-minute", fontsize="medium")
    per_idle_minute.set_xlabel("bytes, both directions")
    figure.suptitle(title(results, "Bytes on the wire"))


def bars(axes, runs, colours, value_of):
    """One horizontal bar per run, its value written at its end; "not measured" where it has none."""
    for row, run in enumerate(runs):
        value = value_of(run)
        if value is None:  # the references have no idle phase, and a run may deliver nothing
            axes.text(0, row, " not measured", va="center", color="grey", fontsize="small")
        else:
            bar = axes.barh(row, value, color=colours[run["subject"]])
            axes.bar_label(bar, fmt="{:,.0f}", padding=3, fontsize="small")
    axes.margins(x=0.25)  # room for the numbers past the longest bar


def delay_vs_pages(figure, results, colours):
    """Delay p95 against N, one line per subject; a quick run has one N, so one point each."""
    axes = figure.subplots()
    labels = {run["subject"]: run["label"] for run in results["runs"]}
    # A run has the same "pages" and "delay_ms" as a capacity step, so a quick run is a one-step curve.
    capacity = results.get("capacity")
    curves = capacity or {run["subject"]: [run] for run in results["runs"]}
    every_n = sorted({step["pages"] for steps in curves.values() for step in steps})
    for subject, steps in curves.items():
        points = [(step["pages"], p95(step)) for step in steps if p95(step) is not None]
        if points:
            pages, delays = zip(*points, strict=True)
            axes.plot(pages, delays, marker="o", color=colours[subject], label=labels.get(subject, subject))
    axes.axhline(LIMIT_MS, **LIMIT_STYLE)
    # Both axes logarithmic: N grows by steps of about ×1.5 to ×2, and the delays span three decades.
    axes.set(xscale="log", yscale="log", xlabel="N, pages open at once", ylabel="delay p95 (ms, log scale)")
    axes.set_xticks(every_n, [f"{n:,}" for n in every_n])
    axes.xaxis.set_minor_locator(NullLocator())  # tick only the Ns that were measured
    axes.grid(alpha=0.3)
    if capacity:
        axes.set_title(title(results, "Delay p95 as N grows", f"{every_n[0]:,} to {every_n[-1]:,}"))
    else:
        axes.set_title(title(results, "Delay p95") + "\n(quick run: one N; make bench FULL=1 for the curve)")
    legend_below(figure)


def p95(step):
    """The p95 delay of a run or capacity step, or None (no deliveries, or the step failed)."""
    return (step.get("delay_ms") or {}).get("p95")
