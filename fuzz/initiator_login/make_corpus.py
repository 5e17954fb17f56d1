#!/usr/bin/env python3
"""Writes the seed corpus of the initiator_login harness: byte 0 = configuration flags (see
harness.cpp), then encoded Login Responses (RFC 7143 §11.13) as a target would send them."""
import os
import struct

ISID = bytes([0x80, 0x3D, 0x2F, 0x01, 0x00, 0x01])  # test::LoginParams' default ISID
ITT = 0x10


def text(*pairs):
    return b"".join(k.encode() + b"=" + v.encode() + b"\0" for k, v in pairs)


def response(csg, nsg, transit, data=b"", cont=False, tsih=0, stat_sn=5, status=0):
    flags = (0x80 if transit else 0) | (0x40 if cont else 0) | (csg << 2)
    flags |= nsg if transit else csg
    bhs = bytes([0x23, flags, 0, 0, 0]) + len(data).to_bytes(3, "big") + ISID
    bhs += struct.pack(">HI4xIII", tsih, ITT, stat_sn, 1, 2)
    bhs += bytes([status >> 8, status & 0xFF]) + bytes(10)
    assert len(bhs) == 48
    return bhs + data + bytes((4 - len(data) % 4) % 4)


TPGT = ("TargetPortalGroupTag", "1")
# Answers to every key negotiation::initiator_policy() offers, with CRC32C header digests.
ANSWERS = (("HeaderDigest", "CRC32C"), ("DataDigest", "None"), ("InitialR2T", "Yes"),
           ("ImmediateData", "Yes"), ("MaxBurstLength", "262144"),
           ("FirstBurstLength", "65536"), ("DefaultTime2Wait", "2"),
           ("DefaultTime2Retain", "20"), ("MaxOutstandingR2T", "1"),
           ("ErrorRecoveryLevel", "0"), ("MaxConnections", "1"), ("DataPDUInOrder", "Yes"),
           ("DataSequenceInOrder", "Yes"))
SEEDS = {
    "seed-none-success": (0x20, [response(1, 3, True, text(TPGT), tsih=0x22)]),
    "seed-chap-one-way": (0x21, [
        response(0, 0, False, text(("AuthMethod", "CHAP"), TPGT)),
        response(0, 0, False, text(("CHAP_A", "5"), ("CHAP_I", "7"),
                                   ("CHAP_C", "0x" + "ab" * 16)), stat_sn=6),
        response(0, 1, True, stat_sn=7),
        response(1, 3, True, tsih=0x22, stat_sn=8),
    ]),
    "seed-chap-mutual": (0x03, [
        response(0, 0, False, text(("AuthMethod", "CHAP"), TPGT)),
        response(0, 0, False, text(("CHAP_A", "5"), ("CHAP_I", "9"),
                                   ("CHAP_C", "0x" + "cd" * 16)), stat_sn=6),
        response(0, 1, True, text(("CHAP_N", "outuser"), ("CHAP_R", "0x" + "00" * 16)),
                 stat_sn=7),
    ]),
    "seed-c-bit": (0x20, [
        response(1, 1, False, text(TPGT)[:10], cont=True),
        response(1, 3, True, text(TPGT)[10:] + text(("TargetAlias", "disk")), tsih=0x22,
                 stat_sn=6),
    ]),
    "seed-redirect": (0x00, [response(1, 3, True, text(("TargetAddress", "10.0.0.9:3261,2")),
                                      status=0x0101)]),
    "seed-auth-failure": (0x01, [response(0, 0, False, text(("AuthMethod", "Reject")),
                                          status=0x0201)]),
    "seed-discovery": (0x24, [response(1, 3, True, tsih=0x22)]),
    "seed-added-connection": (0x28, [response(1, 3, True, tsih=0x0033)]),
    "seed-digests": (0x10, [response(1, 3, True, text(TPGT, *ANSWERS), tsih=0x22)]),
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
os.makedirs(here, exist_ok=True)
for name, (flags, pdus) in SEEDS.items():
    with open(os.path.join(here, name), "wb") as out:
        out.write(bytes([flags]) + b"".join(pdus))
