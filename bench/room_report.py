"""make room's table: per technique, what its pages cost on the wire and on the server, and the cities' fate.

The server's CPU share comes from two answers of the app's GET /api/cost, one before the
room arrived and one once every city had landed: CPU seconds used between them over the
server seconds between them, as a share of one core. An app that gives no cost shows "–".
"""

from bench.report import aligned, number
from bench.stats import check_deliveries

NONE = "–"
HEADER = ("", "pages", "sent", "received", "server CPU", "delay p50 ms", "delay p99 ms", "lost", "duplicated")


def cpu_share(before, after):
    """Share of one core the app used between two of its costs; None without both."""
    if not (before and after) or after["at"] <= before["at"]:
        return None
    return (after["cpu_seconds"] - before["cpu_seconds"]) / (after["at"] - before["at"])


def report(spread, results, cities, refused, costs, client_share):
    """The room's figures per technique, and whether every city reached every page once."""
    before, after = costs
    techniques = {}
    for technique, pages in spread.items():
        delivery = check_deliveries(cities, results[technique]["received"])
        techniques[technique] = {
            "pages": pages,
            "wire": results[technique]["marks"]["room"],
            "cpu_share": cpu_share(before[technique], after[technique]),
            "delay_ms": delivery["delay_ms"],
            "lost": delivery["lost"],
            "duplicated": delivery["duplicated"],
        }
    ok = not any(each["lost"] or each["duplicated"] for each in techniques.values())
    return {"techniques": techniques, "cities": len(cities), "refused": refused,
            "client_share": client_share, "ok": ok}  # fmt: skip


def sent(technique, wire):
    """What the pages sent: frames up a socket for websockets, HTTP requests for the others."""
    if technique == "websockets":
        return f"{number(wire['frames_out'])} frames"
    return f"{number(wire['requests'])} requests"


def row(technique, figures):
    """One technique's line of the table."""
    share, delay = figures["cpu_share"], figures["delay_ms"]
    return [
        technique,
        number(figures["pages"]),
        sent(technique, figures["wire"]),
        f"{number(figures['wire']['bytes_in'] / 1024)} KiB",
        NONE if share is None else f"{share:.1%}",
        number(delay["p50"]),
        number(delay["p99"]),
        number(figures["lost"]),
        number(figures["duplicated"]),
    ]


def print_report(result, options):
    """The table, then the cities and the pages' own CPU, then PASS or FAIL."""
    rows = [list(HEADER)] + [row(technique, figures) for technique, figures in result["techniques"].items()]
    print(aligned(rows))
    refused = ", ".join(f"{count} {outcome}" for outcome, count in result["refused"].items()) or "none"
    print(f"{result['cities']} cities posted by the room's pages, one every {options.gap:g} s "
          f"(refused: {refused}); server CPU: share of one core, from each app's GET /api/cost")  # fmt: skip
    print(f"the room's own pages used {result['client_share']:.0%} of a core, on the apps' machine")
    print("PASS" if result["ok"] else "FAIL: a city was lost or delivered twice (see the table)")
