"""The web skeleton every app is built on. Read it right after an app's own folder.

factory.py (create_board_app: the store, its listener, the routes, the checks and
answers), routes.py (the page and the HTTP API every app serves), request_checks.py
(a foreign POST, a stuffed URL), errors.py (the answers while Redis is away, or on a
bug), headers.py (the script policy, nosniff, no-referrer), address_cap.py (open
streams and sockets per client address), siblings.py (where each app listens),
http_handler.py (gevent's connection handler), vendor.py (npm packages served
offline); templates/ and static/ hold the one page, base.html, and its scripts.
"""
