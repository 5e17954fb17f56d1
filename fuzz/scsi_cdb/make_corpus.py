#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/scsi_cdb (input format: see harness.cpp).

CDB seeds are READ/WRITE/VERIFY/PRE-FETCH of every size, data-in commands with allocation
lengths, and a variable-length CDB; sense seeds are fixed and descriptor sense data as the
target builds them (SPC-4 §4.5) plus truncated and malformed ones.
Run: python3 fuzz/scsi_cdb/make_corpus.py  (rewrites fuzz/scsi_cdb/corpus/seed-*).
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

CDBS = {
    "read6": "0801020304" "00",
    "write6": "0a1fffff00" "00",
    "read10": "28180000100000000800",
    "write10": "2a080000000100000100",
    "verify10": "2f020000000000000100",
    "prefetch10": "34020000000000000100",
    "read12": "a8000000000100000008" "0000",
    "verify16": "8f02" "0000000000000010" "00000004" "0000",
    "orwrite16": "8b00" "fffffffffffffff0" "00000010" "0000",
    "read16": "8800" "0000000000000000" "00010000" "3f00",
    "inquiry": "1201830100" "00",
    "reportluns": "a000000000000000100000" "00",
    "readcap16": "9e10" "0000000000000000" "00000020" "0000",
    "modesense10": "5a183f000000000400" "00",
    "variable": "7f0000000000000818" + "00" * 24,
    "short": "28",
}

SENSE = {
    "fixed-invalid-field": "700005000000000a00000000240000cf0002",
    "fixed-info": "f0000e000012340a000000001d0000000000",
    "fixed-progress": "700002000000000a00000000041b00808000",
    "fixed-short": "700005000000000a0000",
    "descriptor-header": "7206290000000000",
    "descriptor-full": "7205210000000014" "000a80000102030405060708" "02060000c0000200",
    "descriptor-overlong": "72052400000000ff00ff0000",
    "deferred": "710023000000000a000000000c0000000000",
    "bad-code": "000005000000000a",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.startswith("seed-"):
            os.remove(os.path.join(OUT, old))
    for name, text in CDBS.items():
        with open(os.path.join(OUT, "seed-cdb-" + name), "wb") as f:
            f.write(b"\x00" + bytes.fromhex(text))
    for name, text in SENSE.items():
        with open(os.path.join(OUT, "seed-sense-" + name), "wb") as f:
            f.write(b"\x01" + bytes.fromhex(text))


if __name__ == "__main__":
    main()
