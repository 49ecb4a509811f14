"""The websockets app alone: socket.io events and acks, replay on reconnect, presence, its clients.

Its clients are the terminal client and Node's own socket.io client (tests/js/).
"""
