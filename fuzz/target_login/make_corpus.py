#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/target_login (input format: see harness.cpp).

Real logins: the initiator's bytes of every login connection in
/work/shared/testdata/tgtd-libiscsi-session.pcap (libiscsi 1.19 against tgt 1.0.85), up to the
last Login Request, read with tshark; each is written with the rfc and the tgt profile flag.
Hand-built logins add what the capture lacks: the security stage with AuthMethod=None, a text
split with the C bit, a discovery login with CHAP required, a connection add, a 0x0205 version.
Run: python3 fuzz/target_login/make_corpus.py [PCAP]  (rewrites fuzz/target_login/corpus/).
"""
import os
import pathlib
import struct
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
PCAP = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/testdata/tgtd-libiscsi-session.pcap"
TGT, FROM_PRIV, DISCOVERY_CHAP, NO_TSIH, LIVE_TSIH = 1, 2, 4, 8, 16


def seed(name, flags, stream):
    (CORPUS / ("seed-" + name)).write_bytes(bytes([flags]) + stream)


def text(*pairs):
    return b"".join(k.encode() + b"=" + v.encode() + b"\0" for k, v in pairs)


def login(data, csg=0, nsg=1, transit=True, cont=False, tsih=0, vmin=0, itt=0x1000, cmd_sn=5):
    """A Login Request (RFC 7143 §11.12) with its data segment padded to 4 bytes."""
    flags = (0x80 if transit else 0) | (0x40 if cont else 0) | (csg << 2) | (nsg if transit else 0)
    bhs = struct.pack(">BBBB", 0x43, flags, 0, vmin)
    bhs += struct.pack(">B", 0) + len(data).to_bytes(3, "big")
    bhs += bytes([0x80, 0x3d, 0x2f, 0x01, 0x00, 0x01]) + struct.pack(">H", tsih)
    bhs += struct.pack(">IHHII", itt, 1, 0, cmd_sn, 40) + bytes(16)
    return bhs + data + bytes((4 - len(data) % 4) % 4)


def capture_logins():
    out = subprocess.run(
        ["tshark", "-r", PCAP, "-Y", "iscsi.opcode == 0x03", "-T", "fields",
         "-e", "tcp.srcport", "-e", "tcp.payload"],
        check=True, capture_output=True, text=True).stdout
    streams = {}
    for line in out.splitlines():
        port, payload = line.split("\t")
        streams.setdefault(port, b"")
        streams[port] += bytes.fromhex(payload.replace(":", ""))
    return streams


def main():
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.glob("seed-*"):
        old.unlink()
    for port, stream in capture_logins().items():
        seed("capture-%s-rfc" % port, 0, stream)
        seed("capture-%s-tgt" % port, TGT, stream)
    normal = text(("InitiatorName", "iqn.2024-01.org.example:host1"),
                  ("TargetName", "iqn.2019-01.com.example:lab1"), ("SessionType", "Normal"))
    ops = text(("HeaderDigest", "CRC32C,None"), ("DataDigest", "None"),
               ("MaxRecvDataSegmentLength", "65536"), ("MaxBurstLength", "1048576"),
               ("FirstBurstLength", "262144"), ("InitialR2T", "No"), ("ErrorRecoveryLevel", "2"))
    both = login(normal + text(("AuthMethod", "None"))) + login(ops, csg=1, nsg=3)
    seed("two-stages-rfc", 0, both)
    seed("two-stages-tgt", TGT, both)
    first = normal + text(("AuthMethod", "None"))
    split = login(first[:17], transit=False, cont=True) + login(first[17:], nsg=3)
    seed("c-bit", 0, split)
    chap = text(("InitiatorName", "iqn.2024-01.org.example:host1"),
                ("TargetName", "iqn.2019-01.com.example:chap1"), ("AuthMethod", "CHAP,None"))
    seed("chap-agree", 0, login(chap) + login(text(("CHAP_A", "8,7,6,5")), transit=False)
         + login(text(("CHAP_N", "labuser"), ("CHAP_R", "0x" + "00" * 16))))
    discovery = text(("InitiatorName", "iqn.2024-01.org.example:host1"),
                     ("SessionType", "Discovery"), ("AuthMethod", "CHAP"))
    seed("discovery-chap", DISCOVERY_CHAP, login(discovery) + login(text(("CHAP_A", "5")), transit=False))
    seed("connection-add", LIVE_TSIH, login(normal, tsih=0x22))
    seed("no-tsih", NO_TSIH, login(normal, nsg=3))
    seed("version", 0, login(normal, vmin=2))
    priv = text(("InitiatorName", "iqn.2024-01.org.example:host1"),
                ("TargetName", "iqn.2019-01.com.example:priv"))
    seed("redirect", FROM_PRIV, login(priv))
    seed("acl", 0, login(priv))


if __name__ == "__main__":
    main()
