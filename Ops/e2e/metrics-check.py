#!/usr/bin/env python3
"""Parses Kennel's /metrics with the Prometheus client's own parser and checks the
families the issue names. Usage: metrics-check.py URL TOKEN"""
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

url, token = sys.argv[1], sys.argv[2]
request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
text = urllib.request.urlopen(request, timeout=10).read().decode()
families = {family.name: family for family in text_string_to_metric_families(text)}
wanted = ["kennel_machines", "kennel_pool_addresses", "kennel_host_capacity", "kennel_host_allocated",
          "kennel_operations", "kennel_operation_duration_seconds", "kennel_http_requests",
          "kennel_http_request_duration_seconds", "kennel_reconcile_passes"]
missing = [name for name in wanted if name not in families]
if missing:
    sys.exit(f"missing families: {missing}")
running = [s.value for s in families["kennel_machines"].samples if s.labels.get("state") == "running"]
print(f"{len(families)} families, {sum(len(f.samples) for f in families.values())} samples, running machines {running}")
