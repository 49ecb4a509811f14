"""What this process has cost so far: a few plain counters, read by GET /api/cost (shared/web/cost.py).

Each counter is fed at one seam, where the work happens, on both paths:

- `requests`: each HTTP request the server answers, /api/cost itself excepted
  (shared/web/http_handler.py, where the access log line is written);
- `open_connections`: the connections the server holds open now, whether kept alive
  between polls, held, streaming or a socket (the same handler);
- `messages`: each update sent to a page: a poll or a held request answered with news
  (shared/web/routes.py, long_polling/updates.py), a message written on a stream
  (sse/stream.py, sse/resume.py), a message sent to a socket (websockets/relay.py, and
  the tuned fan-out, shared/tuning/fanout.py);
- `redis_commands`: each command sent to Redis: each command of a pipeline counts one,
  a script (EVALSHA) counts one, whatever it does inside Redis (shared/store/pool.py).

Counting costs an addition: no Redis command, no lock (a process's greenlets switch
only when one waits, never inside `+=`), and the same however many pages are open.
Reading them costs a clock or two. So a race page may ask every second, from every app.
"""

import os
import socket
import time


class ProcessCost:
    """This process's counters since it started: each grows, but `open_connections`, which is now."""

    def __init__(self):
        self.requests = 0
        self.messages = 0
        self.open_connections = 0
        self.redis_commands = 0

    def so_far(self, technique):
        """The counters, with the CPU time used so far, which process and when: GET /api/cost's answer.

        CPU time is user plus system, of the whole process: two answers give its share
        of one core, (cpu_seconds - cpu_seconds before) / (at - at before).
        """
        return {
            "technique": technique,
            "process": f"{socket.gethostname()}:{os.getpid()}",
            "at": time.time(),
            "cpu_seconds": time.process_time(),
            "requests": self.requests,
            "messages": self.messages,
            "open_connections": self.open_connections,
            "redis_commands": self.redis_commands,
        }


process_cost = ProcessCost()  # one per process: every server process counts its own
