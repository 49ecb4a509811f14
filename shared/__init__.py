"""What the four apps share, one package per concern. Read in this order, after an app's own folder:

- web/: the skeleton every app is built on: create_board_app(), the page, the HTTP API,
  the request checks, the error answers, the headers, gevent's connection handler;
- store/: the one place the apps talk to Redis: visits, cities, presence, events;
- news/: how pages that wait hear of a change: one listener per process, a subscription
  per waiter, and presence for pages that hold a connection open;
- board/: the contract every app and page agree on: the techniques, events and cursors,
  city names, the event-stream format, the settings;
- tuning/: what made the apps hold a room of thousands, each module replacing one
  textbook part at a seam (off with TEXTBOOK=1);
- reading/: the docs viewer and the race page, which serve.py adds to every app;
- tools/: for the developer: the embedded Valkey server, make run-all, the terminal clients.

Imports point one way: apps -> web -> news -> store -> board, with serve.py, reading/,
tuning/ and tools/ on top, never imported by what they sit on.
"""
