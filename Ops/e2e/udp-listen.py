#!/usr/bin/env python3
"""Prints the payload of every UDP datagram that reaches PORT within SECONDS.

    udp-listen.py PORT SECONDS
"""
import socket
import sys
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
    listener.bind(("0.0.0.0", port))
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        listener.settimeout(left)
        try:
            print(listener.recv(2048).decode(errors="replace"), flush=True)
        except socket.timeout:
            break
