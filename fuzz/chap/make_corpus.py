#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/chap (input format: see harness.cpp).

Real exchanges come from shared/testdata/tgtd-libiscsi-session.pcap (frames 447-450, read with
`tshark -r FILE -Y iscsi -T fields -e iscsi.keyvalue`); "@R"/"@B"/"@S"/"@C" values are filled in
by the harness from the engines' own state, so the seeds reach every state for each algorithm;
engine-pair seeds let the engines write every message themselves.
Run: python3 fuzz/chap/make_corpus.py  (rewrites fuzz/chap/corpus/seed-*).
"""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

TGT_CHALLENGE = ("0x332ed097140440bed662bfc31faaa996dfab1aeb3bf0f506f3ecb5a74567a57fc1fbc0aa5994"
                 "b16f37655a3068d22b93ad8a")
LIBISCSI_ANSWER = ("CHAP_N=labuser", "CHAP_R=0x6A27608A31C4B180F02DDED952CACB7E", "CHAP_I=1",
                   "CHAP_C=0xBE68EEAF4C720B453DD1CAD03F8CA1C842B265194C39E8E12DB4785D16B786D4")
TGT_MUTUAL = ("CHAP_N=outuser", "CHAP_R=0x8e64aaa457959709aa9c6881bc126662")

RESPONDER, RESPONDER_TGT, ORIGINATOR, PAIR = 0, 1, 2, 3
MUTUAL, BASE64 = 4, 8
IDENTICAL, SHORT, WRONG_USER, WRONG_TARGET, TGT = 1, 2, 4, 8, 16


def offer_bits(*algorithms):
    bits = 0
    for a in algorithms:
        bits |= 1 << (4 + a - 5)
    return bits


def seed(name, mode, flags, *rounds):
    data = bytes([mode, flags]) + b"\n".join(b"\0".join(p.encode() for p in r) for r in rounds)
    with open(os.path.join(OUT, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    # The real capture, both roles (with the real values, then with computed responses).
    seed("pcap-responder-tgt", RESPONDER_TGT | MUTUAL, 0, ["CHAP_A=5"], LIBISCSI_ANSWER)
    seed("pcap-responder-tgt-computed", RESPONDER_TGT | MUTUAL, 0, ["CHAP_A=5"],
         ["CHAP_N=labuser", "CHAP_R=@R"] + list(LIBISCSI_ANSWER[2:]))
    seed("pcap-originator", ORIGINATOR | MUTUAL | offer_bits(5), 0,
         ["CHAP_A=5", "CHAP_I=6", "CHAP_C=" + TGT_CHALLENGE], TGT_MUTUAL)
    seed("pcap-originator-computed", ORIGINATOR | MUTUAL | offer_bits(5), 0,
         ["CHAP_A=5", "CHAP_I=6", "CHAP_C=" + TGT_CHALLENGE], ["CHAP_N=outuser", "CHAP_R=@R"])
    challenge64 = "0B" + base64.b64encode(bytes(range(32))).decode()
    for alg in (5, 6, 7, 8):
        seed(f"responder-oneway-{alg}", RESPONDER, 0, [f"CHAP_A={alg}"],
             ["CHAP_N=labuser", "CHAP_R=@R"])
        seed(f"responder-mutual-{alg}", RESPONDER | MUTUAL | BASE64, 0, [f"CHAP_A=99,{alg},5"],
             ["CHAP_N=labuser", "CHAP_R=@B", "CHAP_I=0x2a", "CHAP_C=" + challenge64],
             ["HeaderDigest=None"])
        seed(f"originator-oneway-{alg}", ORIGINATOR | offer_bits(alg, 5), 0,
             [f"CHAP_A={alg}", "CHAP_I=255", "CHAP_C=0x" + bytes(range(50)).hex()])
        seed(f"originator-mutual-{alg}", ORIGINATOR | MUTUAL | BASE64 | offer_bits(alg), 0,
             [f"CHAP_A={alg}", "CHAP_I=0", "CHAP_C=" + challenge64],
             ["CHAP_N=outuser", "CHAP_R=@B"], ["TargetPortalGroupTag=1"])
        seed(f"pair-{alg}", PAIR | MUTUAL | offer_bits(alg), 0)
        seed(f"pair-tgt-{alg}", PAIR | MUTUAL | offer_bits(alg, 5), TGT)
    # Failure paths.
    seed("responder-reflect", RESPONDER | MUTUAL, 0, ["CHAP_A=5"],
         ["CHAP_N=labuser", "CHAP_R=@R", "CHAP_I=1", "CHAP_C=@C"])
    seed("responder-identical", RESPONDER | MUTUAL, IDENTICAL | SHORT, ["CHAP_A=5"],
         ["CHAP_N=labuser", "CHAP_R=@R", "CHAP_I=1", "CHAP_C=0x01"])
    seed("responder-other-secret", RESPONDER, 0, ["CHAP_A=5"], ["CHAP_N=labuser", "CHAP_R=@S"])
    seed("responder-out-of-order", RESPONDER, 0, ["CHAP_R=0x00", "CHAP_A=5"])
    seed("responder-reject", RESPONDER, 0, ["CHAP_A=99,abc,,256"])
    seed("responder-tgt-no-common", RESPONDER_TGT, 0, ["CHAP_A=8,6"])
    seed("responder-after-success", RESPONDER, 0, ["CHAP_A=5"], ["CHAP_N=labuser", "CHAP_R=@R"],
         ["CHAP_A=5"])
    seed("responder-long-challenge", RESPONDER | MUTUAL, 0, ["CHAP_A=5"],
         ["CHAP_N=labuser", "CHAP_R=@R", "CHAP_I=1", "CHAP_C=0x" + "ab" * 1025])
    seed("originator-identical", ORIGINATOR | MUTUAL | offer_bits(5, 7), 0,
         ["CHAP_A=7", "CHAP_I=9", "CHAP_C=0x00"], ["CHAP_N=outuser", "CHAP_R=@S"])
    seed("originator-reject", ORIGINATOR, 0, ["CHAP_A=Reject"])
    seed("originator-wrong-name", ORIGINATOR | MUTUAL, 0,
         ["CHAP_A=5", "CHAP_I=1", "CHAP_C=0x0102"], ["CHAP_N=outuse", "CHAP_R=@R"])
    seed("pair-wrong-secrets", PAIR | MUTUAL | offer_bits(5), WRONG_USER | WRONG_TARGET)
    seed("pair-tampered", PAIR | MUTUAL | offer_bits(5), SHORT, [], [], [], ["CHAP_I=3"])


if __name__ == "__main__":
    main()
