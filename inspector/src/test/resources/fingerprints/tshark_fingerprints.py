#!/usr/bin/env python3
"""Golden JA3/JA4 values for recorded ClientHellos, from Wireshark's dissector (tshark), not from tlslens.

For each ClientHello (hex of the TLS record(s) a client sent) the bytes are wrapped into a one-packet TCP
capture with text2pcap (port 443, so tshark dissects TLS) and dissected by tshark into PDML.

  ja3  = tshark's own field tls.handshake.ja3 (Wireshark >= 3.6), verbatim;
  ja4  = FoxIO's JA4 (technical_details/JA4.md), assembled from tshark's dissected fields exactly the way
         FoxIO's reference implementation (FoxIO-LLC/ja4, rust/ja4/src/tls.rs) does it from tshark's PDML:
         version = highest non-GREASE tls.handshake.extensions.supported_version when that extension is
         present, else tls.handshake.version; 'd' when extension 0 is present; cipher and extension counts
         without GREASE (capped at 99); first/last character of the first ALPN value ('00' without);
         hash12(s) = first 12 hex of SHA-256(s), or 000000000000 when s is empty; part b = hash12 of the
         sorted non-GREASE cipher suites; part c = hash12 of the sorted extensions without 0 and 16, then '_'
         and the signature_algorithms (extension 13 only) in wire order when there are any.

Usage: tshark_fingerprints.py NAME=HEX ... | corpus FILE      (prints NAME<TAB>JA4<TAB>JA3 lines)
A hello for which tshark computes no JA3 (the SSLv2-compatible ones, which it does not dissect as a TLS
ClientHello) gets '-' in both columns: there is no reference value for it.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

GREASE = {0x0a0a + 0x1010 * i for i in range(16)}


def hash12(s):
    return hashlib.sha256(s.encode()).hexdigest()[:12] if s else "000000000000"


def pdml(hexstr, work):
    data = bytes.fromhex(hexstr)
    txt = os.path.join(work, "h.txt")
    cap = os.path.join(work, "h.pcap")
    with open(txt, "w") as f:
        for i in range(0, len(data), 16):
            f.write("%06x %s\n" % (i, " ".join("%02x" % b for b in data[i:i + 16])))
    subprocess.run(["text2pcap", "-q", "-T", "50000,443", txt, cap], check=True)
    out = subprocess.run(["tshark", "-r", cap, "-T", "pdml"], check=True, capture_output=True).stdout
    return ET.fromstring(out)


def fingerprints(root):
    fields = [e for e in root.iter("field") if e.get("name", "").startswith("tls.")]
    vals = lambda n: [e.get("show") for e in fields if e.get("name") == n]
    if not vals("tls.handshake.ja3"):
        return "-", "-"  # not dissected as a TLS ClientHello (tshark computes no JA3 for SSLv2-compatible hellos)
    ja3 = vals("tls.handshake.ja3")[0]
    exts = [int(v) for v in vals("tls.handshake.extension.type") if int(v) not in GREASE]
    ciphers = [v[2:] for v in vals("tls.handshake.ciphersuite") if int(v, 16) not in GREASE]
    if 43 in exts:
        sv = [v for v in vals("tls.handshake.extensions.supported_version") if int(v, 16) not in GREASE]
        version = sorted(sv)[-1]
    else:
        version = vals("tls.handshake.version")[0]
    version = {"0x0304": "13", "0x0303": "12", "0x0302": "11", "0x0301": "10", "0x0300": "s3",
               "0x0002": "s2"}.get(version, "00")
    alpn = vals("tls.handshake.extensions_alpn_str")
    a = (alpn[0][0] + alpn[0][-1]) if alpn and alpn[0] else "00"
    sigs = []
    for i, e in enumerate(fields):  # signature_algorithms (13) only, as FoxIO's sig_hash_algs() does
        if e.get("name") == "tls.handshake.extension.type" and e.get("show") == "13":
            for g in fields[i + 2:]:
                if not g.get("name").startswith("tls.handshake.sig_hash_"):
                    break
                if g.get("name") == "tls.handshake.sig_hash_alg":
                    sigs.append(g.get("show")[2:])
            break
    kept = sorted(x for x in exts if x not in (0, 16))
    c = ",".join("%04x" % x for x in kept) + ("_" + ",".join(sigs) if sigs else "")
    ja4 = "t%s%s%02d%02d%s_%s_%s" % (version, "d" if 0 in exts else "i", min(len(ciphers), 99),
                                     min(len(exts), 99), a, hash12(",".join(sorted(ciphers))), hash12(c))
    return ja4, ja3


def corpus(path):
    """testssl.sh's client-simulation.txt: a block starts at each names+= line (as tlslens' reader does)."""
    blocks = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r'\s*([A-Za-z0-9_]+)\+=\((.*)\)\s*$', line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip('"')
        if key == "names":
            blocks.append({})
        if blocks:
            blocks[-1][key] = value
    return [(b.get("short", ""), b["handshakebytes"]) for b in blocks]


def main(args):
    items = corpus(args[1]) if args[0] == "corpus" else [a.split("=", 1) for a in args]
    with tempfile.TemporaryDirectory() as work:
        for name, hexstr in items:
            ja4, ja3 = fingerprints(pdml(re.sub(r"\s", "", hexstr), work))
            print("%s\t%s\t%s" % (name, ja4, ja3))


if __name__ == "__main__":
    main(sys.argv[1:])
