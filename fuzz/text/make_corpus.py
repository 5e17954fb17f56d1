#!/usr/bin/env python3
"""Regenerates fuzz/text/corpus/ (seed inputs for fuzz/text/harness.cpp).

Seed layout: [config][n][n chunk lengths][text], see harness.cpp. Real key sets come from the
Login and Text PDUs of /work/shared/testdata/tgtd-libiscsi-session.pcap (libiscsi 1.19 as
initiator, tgt 1.0.85 as target; needs tshark); the open-iscsi sets follow the order and values
of open-iscsi 2.1.8's login (usr/login.c, usr/iscsi_settings.h) and are typed by hand.
Usage: fuzz/text/make_corpus.py [PCAP]
"""
import binascii
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
PCAP = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/testdata/tgtd-libiscsi-session.pcap"


def seed(name, text, config=0, chunks=()):
    data = bytes([config, len(chunks)]) + bytes(chunks) + text
    (CORPUS / name).write_bytes(data)


def pcap_segments():
    out = subprocess.run(
        ["tshark", "-r", PCAP, "-Y", "iscsi.opcode == 0x03 || iscsi.opcode == 0x23 || "
         "iscsi.opcode == 0x04 || iscsi.opcode == 0x24", "-T", "fields",
         "-e", "frame.number", "-e", "tcp.payload"],
        check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        frame, payload = line.split("\t")
        raw = binascii.unhexlify(payload)
        offset = 0
        while offset + 48 <= len(raw):
            ahs = raw[offset + 4] * 4
            dsl = int.from_bytes(raw[offset + 5:offset + 8], "big")
            opcode = raw[offset] & 0x3F
            data = raw[offset + 48 + ahs:offset + 48 + ahs + dsl]
            if opcode in (0x03, 0x23, 0x04, 0x24) and data:
                yield int(frame), opcode, data
            offset += 48 + ahs + (dsl + 3) // 4 * 4


def main():
    CORPUS.mkdir(exist_ok=True)
    seen = set()
    for frame, opcode, data in pcap_segments():
        if data in seen:
            continue
        seen.add(data)
        kind = {0x03: "login-req", 0x23: "login-rsp", 0x04: "text-req", 0x24: "text-rsp"}[opcode]
        seed(f"pcap-frame{frame:03d}-{kind}", data)
        seed(f"pcap-frame{frame:03d}-{kind}-split-tgt", data, config=0x01, chunks=(7, 1, 30))
        seed(f"pcap-frame{frame:03d}-{kind}-discovery-all", data, config=0x06)
    openiscsi_security = (b"InitiatorName=iqn.1993-08.org.debian:01:8c1d3a2b4f5e\0"
                          b"InitiatorAlias=labhost\0"
                          b"TargetName=iqn.2019-01.com.example:lab1\0"
                          b"SessionType=Normal\0AuthMethod=CHAP,None\0")
    openiscsi_operational = (b"HeaderDigest=None\0DataDigest=None\0"
                             b"MaxRecvDataSegmentLength=262144\0InitialR2T=No\0"
                             b"ImmediateData=Yes\0MaxBurstLength=16776192\0"
                             b"FirstBurstLength=262144\0DefaultTime2Wait=2\0"
                             b"DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0"
                             b"ErrorRecoveryLevel=0\0MaxConnections=1\0MaxOutstandingR2T=1\0"
                             b"DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0")
    openiscsi_discovery = (b"InitiatorName=iqn.1993-08.org.debian:01:8c1d3a2b4f5e\0"
                           b"InitiatorAlias=labhost\0SessionType=Discovery\0"
                           b"HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0"
                           b"DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0"
                           b"ErrorRecoveryLevel=0\0MaxRecvDataSegmentLength=32768\0")
    seed("open-iscsi-security", openiscsi_security)
    seed("open-iscsi-operational", openiscsi_operational, config=0x02, chunks=(100, 0, 3))
    seed("open-iscsi-discovery", openiscsi_discovery, config=0x04)
    seed("open-iscsi-non-leading", openiscsi_operational, config=0x08)
    seed("chap-sha256-mutual", b"CHAP_N=labuser\0CHAP_R=0x" + b"ab" * 32 + b"\0CHAP_I=7\0"
         b"CHAP_C=0b" + binascii.b2a_base64(bytes(range(48)), newline=False) + b"\0")
    seed("chap-large-challenge", b"CHAP_A=5\0CHAP_I=255\0CHAP_C=0x" + b"5a" * 1024 + b"\0")
    seed("rfc7143-keys", b"TaskReporting=FastAbort,RFC3720\0iSCSIProtocolLevel=31\0"
         b"X#NodeArchitecture=ExampleOS/1.0,x86_64\0X-com.example.Test=1\0"
         b"OFMarkInt=2048~8192\0IFMarkInt=1~65535\0", config=0x02)
    seed("send-targets", b"SendTargets=All\0")
    seed("send-targets-output", b"TargetName=iqn.a\0TargetAddress=[2001:db8::1]:3260,1\0"
         b"TargetAddress=10.0.0.1,2\0TargetName=iqn.b\0TargetAlias=b\0")
    seed("checklist-errors", b"maxburstlength=1024\0InitialR2T=Reject\0MaxBurstLength=\0"
         b"MaxBurstLength=0x40000\0DataDigest=Bogus\0MaxConnections=65536\0")
    seed("duplicate", b"MaxBurstLength=8192\0MaxBurstLength=8192\0", config=0x03)
    seed("missing-nul", b"InitiatorName=iqn.a\0SessionType=Normal", chunks=(5,))
    seed("key-64-bytes", b"X-" + b"a" * 62 + b"=1\0")
    seed("value-256-bytes", b"InitiatorAlias=" + b"v" * 256 + b"\0")
    seed("bad-utf8", b"InitiatorAlias=caf\xc3\0")
    seed("too-long-for-small-limit", openiscsi_operational * 3, config=0x10, chunks=(200, 200))


if __name__ == "__main__":
    main()
