#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/tgtadm_command (input format: see harness.cpp).

Seeds are the tutorial's command sequence (target, LUN, IP ACL, one-way and mutual CHAP,
discovery CHAP, parameter updates, teardown) and every line of
tests/target-impl/config/golden/commands.txt (the commands recorded against tgt 1.0.85), in
small groups. Run: python3 fuzz/tgtadm_command/make_corpus.py (rewrites corpus/seed-*).
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
COMMANDS = os.path.join(HERE, "..", "..", "tests", "target-impl", "config", "golden",
                        "commands.txt")

TUTORIAL = [
    "tgtadm --lld iscsi --op new --mode target --tid 2 -T iqn.2001-04.com.example:storage.disk2",
    "tgtadm --lld iscsi --op new --mode logicalunit --tid 2 --lun 1 -b /disk.img",
    "tgtadm --lld iscsi --op bind --mode target --tid 2 -I 192.168.1.0/24",
    "tgtadm --lld iscsi --op new --mode account --user labuser --password 123456",
    "tgtadm --lld iscsi --op bind --mode account --tid 2 --user labuser",
    "tgtadm --lld iscsi --op new --mode account --user outuser --password 654321abcdef",
    "tgtadm --lld iscsi --op bind --mode account --tid 2 --user outuser --outgoing",
    "tgtadm --lld iscsi --op bind --mode account --user labuser",
    "tgtadm --lld iscsi --op update --mode target --tid 2 --name HeaderDigest --value CRC32C",
    "tgtadm --lld iscsi --op update --mode logicalunit --tid 2 --lun 1 --params readonly=1",
    "tgtadm --lld iscsi --op show --mode target",
    "tgtadm --lld iscsi --op show --mode target --tid 2",
    "tgtadm --lld iscsi --op delete --mode target --tid 2 --force",
    "tgtadm --lld iscsi --op delete --mode target --tid 1 --force",
    "tgtadm --mode system --op delete",
]


def write(name, lines):
    with open(os.path.join(OUT, "seed-" + name), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.startswith("seed-"):
            os.remove(os.path.join(OUT, old))
    write("tutorial", TUTORIAL)
    write("ram-and-continuation", [
        "tgtadm --op new --mode logicalunit --tid 1 --lun 3 --backing-store ram:40G",
        "tgtadm --op new --mode logicalunit --tid 1 --lun 4 -E ram -b 64M \\",
        "  -y 4096",
        "tgtadm --op update --mode logicalunit --tid 1 --lun 4 --params thin_provisioning=1,online=0",
        "tgtadm --op bind --mode target --tid 1 -Q iqn.client -I 'ALL'",
        "tgtadm --op show --mode account",
        "tgtadm --op show --mode system",
        "tgtadm --op show --mode portal",
    ])
    with open(COMMANDS) as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    lines = [l.replace("@DIR@/disk64.img", "/disk.img").replace("@DIR@", "/dir") for l in lines]
    for i in range(0, len(lines), 8):
        write("golden-%03d" % (i // 8), lines[i:i + 8])


if __name__ == "__main__":
    main()
