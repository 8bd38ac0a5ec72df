#!/usr/bin/env python3
"""Summarises a JFR recording of tlslens under load (bench/load/run.sh --jfr FILE): where the event-loop threads
were sampled (Java and native samples; threads idle in epoll_wait are left out) and which of tlslens' own frames
are on those stacks, with the top allocation sites. Usage: bench/load/jfr_top.py FILE [N]"""
import collections
import json
import subprocess
import sys

path = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "256", "--events",
                      "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample", path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]


def frame(f):
    m = f["method"]
    return (m["type"]["name"] + "." + m["name"]).replace("/", ".")


def own(name):
    return name.startswith("io.tlslens.")


def jdk(name):
    return name.startswith(("java.", "jdk.", "sun."))


cpu = collections.Counter()
self_top, mine_incl = collections.Counter(), collections.Counter()
mine_self, layer = collections.Counter(), collections.Counter()
alloc_weight, alloc_site = 0, collections.Counter()
for e in events:
    v = e["values"]
    st = v.get("stackTrace")
    if not st or not st["frames"]:
        continue
    frames = [frame(f) for f in st["frames"]]
    if e["type"] == "jdk.ObjectAllocationSample":
        w = v.get("weight", 0)
        alloc_weight += w
        mine = [f for f in frames if own(f)]
        alloc_site[(mine[0] if mine else "(no tlslens frame) " + frames[0]) + " -> " + v["objectClass"]["name"]] += w
        continue
    thread = (v.get("sampledThread") or {}).get("javaName") or ""
    if "IoEventLoop" not in thread or frames[0].endswith("Native.epollWait0") or frames[0].endswith("Native.epollWait"):
        continue
    cpu[e["type"]] += 1
    self_top[frames[0]] += 1
    # the first frame that is not the JDK's says whose code is running (tlslens' own, Netty's, tcnative's)
    first = next((f for f in frames if not jdk(f)), frames[0])
    if own(first):
        mine_self[first] += 1
        layer["tlslens (own code and the JDK methods it calls)"] += 1
    elif first.startswith("io.netty.internal.tcnative."):
        layer["BoringSSL (tcnative)"] += 1
    elif first.startswith("io.netty."):
        layer["Netty (incl. socket syscalls)"] += 1
    else:
        layer["other: " + first] += 1
    mine = [f for f in frames if own(f)]
    if mine:
        for f in set(mine):
            mine_incl[f] += 1

n = sum(cpu.values()) or 1
print(f"event-loop samples, busy (not in epoll_wait): {dict(cpu)}")
def table(title, counts):
    print("\n" + title)
    for k, c in counts.most_common(top_n):
        print(f"  {c:6d} {100 * c / n:5.1f}%  {k}")


table("top frames, self:", self_top)
table("whose code was running (first frame outside the JDK):", layer)
table("tlslens' own code, self (with the JDK methods it calls):", mine_self)
table("tlslens frames on the stack, inclusive (everything below a handler counts, the TLS engine included):", mine_incl)
if alloc_weight:
    print("\nallocation (sampled weight) by innermost tlslens frame -> class:")
    for k, c in alloc_site.most_common(top_n):
        print(f"  {100 * c / alloc_weight:5.1f}%  {k}")
