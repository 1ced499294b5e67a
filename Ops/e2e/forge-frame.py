#!/usr/bin/env python3
"""Sends one UDP datagram in a hand-made Ethernet frame, with whatever source MAC and IP
it is told (run inside a machine, as root, to try to pass for another one).

    forge-frame.py IFACE SRC_MAC SRC_IP DST_MAC DST_IP PORT PAYLOAD
"""
import socket
import struct
import sys


def checksum(header: bytes) -> int:
    total = sum(struct.unpack("!10H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def main() -> None:
    iface, src_mac, src_ip, dst_mac, dst_ip, port, payload = sys.argv[1:8]
    data = payload.encode()
    udp = struct.pack("!HHHH", 40000, int(port), 8 + len(data), 0) + data
    header = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, socket.inet_aton(src_ip), socket.inet_aton(dst_ip)
    )
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    frame = bytes.fromhex(dst_mac.replace(":", "")) + bytes.fromhex(src_mac.replace(":", "")) + b"\x08\x00" + header + udp
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as raw:
        raw.bind((iface, 0))
        raw.send(frame)


main()
