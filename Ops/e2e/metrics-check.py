#!/usr/bin/env python3
"""Parses Kennel's /metrics with the Prometheus client's own parser and checks the
families the issue names. With machine names, it also waits (up to 40 s: the figures are
gathered in the background) for their per-machine usage and checks it is real: CPU
time, memory and disk used above zero, and, for the first machine, at least MIN_RECEIVED
bytes received.

Usage: metrics-check.py URL TOKEN [MIN_RECEIVED MACHINE...]"""
import sys
import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

url, token = sys.argv[1], sys.argv[2]
min_received = int(sys.argv[3]) if len(sys.argv) > 3 else 0
machines = sys.argv[4:]


def scrape():
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    text = urllib.request.urlopen(request, timeout=10).read().decode()
    return {family.name: family for family in text_string_to_metric_families(text)}


def usage(families, machine):
    """The per-machine figures of `machine`, by family name (counters without _total)."""
    found = {}
    for name in ["kennel_machine_cpu_seconds", "kennel_machine_memory_bytes", "kennel_machine_disk_used_bytes",
                 "kennel_machine_network_receive_bytes", "kennel_machine_network_transmit_bytes"]:
        for sample in families.get(name, ()).samples if name in families else []:
            if sample.labels.get("machine") == machine:
                found[name] = sample.value
    return found


families = scrape()
wanted = ["kennel_machines", "kennel_pool_addresses", "kennel_host_capacity", "kennel_host_allocated",
          "kennel_operations", "kennel_operation_duration_seconds", "kennel_http_requests",
          "kennel_http_request_duration_seconds", "kennel_reconcile_passes", "kennel_machine_cpu_seconds",
          "kennel_machine_memory_bytes", "kennel_machine_network_receive_bytes",
          "kennel_machine_network_transmit_bytes", "kennel_machine_disk_used_bytes"]
missing = [name for name in wanted if name not in families]
if missing:
    sys.exit(f"missing families: {missing}")
running = [s.value for s in families["kennel_machines"].samples if s.labels.get("state") == "running"]

deadline = time.time() + 40
figures = {}
while machines:
    figures = {machine: usage(families, machine) for machine in machines}
    if all(len(found) == 5 for found in figures.values()):
        break
    if time.time() > deadline:
        sys.exit(f"per-machine usage incomplete after 40 s: {figures}")
    time.sleep(1)
    families = scrape()
for index, machine in enumerate(machines):
    found = figures[machine]
    problems = [name for name in ["kennel_machine_cpu_seconds", "kennel_machine_memory_bytes"] if found[name] <= 0]
    if found["kennel_machine_disk_used_bytes"] < 50 * 2**20:
        problems.append(f"disk used {found['kennel_machine_disk_used_bytes']:.0f} bytes")
    if index == 0 and found["kennel_machine_network_receive_bytes"] < min_received:
        problems.append(f"received {found['kennel_machine_network_receive_bytes']:.0f} < {min_received} bytes "
                        f"(sent {found['kennel_machine_network_transmit_bytes']:.0f})")
    if problems:
        sys.exit(f"{machine}: {problems}: {found}")
    print(f"{machine}: cpu {found['kennel_machine_cpu_seconds']:.2f}s, memory {found['kennel_machine_memory_bytes'] / 2**20:.0f} MiB, "
          f"disk {found['kennel_machine_disk_used_bytes'] / 2**20:.0f} MiB, "
          f"rx {found['kennel_machine_network_receive_bytes'] / 2**20:.1f} MiB, tx {found['kennel_machine_network_transmit_bytes'] / 2**20:.1f} MiB")
print(f"{len(families)} families, {sum(len(f.samples) for f in families.values())} samples, running machines {running}")
