#!/usr/bin/env python3
"""Prints how many milliseconds the host takes to hand out MIB MiB of memory no process
holds: a new anonymous mapping written once per page, then released.

    fresh-memory.py MIB

On bare metal this is flat. In a VM whose balloon returns free pages to the hypervisor
(free page reporting), pages the guest has not used lately cost several times more to
touch again, so the figure rises as machines take the memory that was still warm.
"""
import mmap
import sys
import time

size = int(sys.argv[1]) << 20
start = time.perf_counter()
with mmap.mmap(-1, size) as memory:
    for offset in range(0, size, mmap.PAGESIZE):
        memory[offset] = 1
print(round((time.perf_counter() - start) * 1000))
