#!/usr/bin/env python3
"""One story across commands (issue 21): on one estate, `exposure` and `can`
must tell the same story, and every id they print must be a selector.

    one_story.py SGREACH WORKDIR ESTATE...

1. Every endpoint `exposure` lists is answered by `can --from internet --to
   <the id it prints> --port <each port it lists>` with the verdict it lists
   (reachable, or unknown).
2. Every endpoint of the estate (interfaces, tasks, load balancers, databases,
   found through selectors taken from the input: VPCs, interfaces, tasks, load
   balancers, Terraform addresses) that `exposure` does not list on a common
   port is unreachable there by `can` from the internet.
3. Every id `exposure` or `can` prints, given back to `can --to`, selects that
   endpoint and nothing else.
4. `blast --from internet` (one hop) lists the endpoints `exposure` lists, each
   on the union of the ports (and host ports) exposure lists for it over its
   ways in, in the same convention (the port the endpoint serves, the host port
   beside), and `can` answers every port it lists as it does (reachable, or
   unknown).

Prints one line per contradiction and a final `COUNT questions contradictions`
line; exits 1 when there is a contradiction or when nothing was asked.
"""

import json
import os
import subprocess
import sys

COMMON = [("tcp", p) for p in (22, 80, 443, 3000, 3306, 5432, 6379, 8000, 8080, 8443, 9100, 27017)] + [("udp", 53)]
RANK = {"unreachable": 0, "unknown": 1, "reachable": 2}
# which fields of the AWS CLI (and Terraform) input name something a selector can take
ID_FIELDS = {
    "VpcId": lambda v: v,
    "NetworkInterfaceId": lambda v: v,
    "taskArn": lambda v: v,
    "LoadBalancerArn": lambda v: v,
    "LoadBalancerName": lambda v: "lb:" + v,
    "DBInstanceIdentifier": lambda v: "db:" + v,
}
TF_TYPES = ("aws_vpc", "aws_instance", "aws_network_interface", "aws_ecs_service", "aws_lb", "aws_alb", "aws_elb",
            "aws_db_instance")


def documents(path):
    """Every JSON document of a file (a file may hold several, `cat`-ed)."""
    try:
        text = open(path, encoding="utf-8").read()
    except (UnicodeDecodeError, OSError):
        return
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        try:
            doc, i = dec.raw_decode(text, i)
        except ValueError:
            return
        yield doc


def walk_ids(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ID_FIELDS and isinstance(v, str) and v:
                out.add(ID_FIELDS[k](v))
            elif k == "address" and isinstance(v, str) and node.get("type") in TF_TYPES:
                out.add("tf:" + v)
            else:
                walk_ids(v, out)
    elif isinstance(node, list):
        for v in node:
            walk_ids(v, out)


def estate_selectors(paths):
    out = set()
    for p in paths:
        files = [p] if os.path.isfile(p) else [os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs]
        for f in sorted(files):
            for doc in documents(f):
                walk_ids(doc, out)
    return sorted(s for s in out if " " not in s)


def covers(ports, proto, port):
    for part in ports.split():
        if part == "all":
            return True
        p, _, rng = part.partition(":")
        if p != proto:
            continue
        if not rng:
            return True
        for r in rng.split(","):
            lo, _, hi = r.partition("-")
            if int(lo) <= port <= int(hi or lo):
                return True
    return False


def probes(ports):
    """(proto, port) to ask about for an exposure `ports` string: both ends of each range."""
    out = []
    for part in ports.split():
        if part == "all":
            out += COMMON
            continue
        p, _, rng = part.partition(":")
        if p not in ("tcp", "udp"):
            continue
        if not rng:
            out += [(p, q) for pp, q in COMMON if pp == p] or [(p, 1)]
            continue
        for r in rng.split(","):
            lo, _, hi = r.partition("-")
            out += [(p, int(lo)), (p, int(hi or lo))]
    return sorted(set(out))


def port_set(ports):
    """A port text ("tcp:80,443 udp:53", "all") as {proto: merged [(lo, hi)]}."""
    out = {}
    for part in (ports or "").split():
        p, _, rng = part.partition(":")
        spans = [(0, 65535)] if not rng else [(int(lo), int(hi or lo)) for lo, _, hi in
                                              (r.partition("-") for r in rng.split(","))]
        out.setdefault(p, []).extend(spans)
    for p, spans in out.items():
        merged = []
        for lo, hi in sorted(spans):
            if merged and lo <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        out[p] = merged
    return out


def port_union(texts):
    return port_set(" ".join(t for t in texts if t))


def batch(sgreach, work, paths, questions):
    qfile = os.path.join(work, "questions.txt")
    with open(qfile, "w") as f:
        for q in questions:
            f.write("internet %s %s %d\n" % q)
    r = subprocess.run([sgreach, "can", "-q", "--format", "json", "--batch", qfile] + paths,
                       capture_output=True, text=True)
    answers = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    if len(answers) != len(questions):
        sys.stdout.write("FAIL can --batch answered %d of %d questions (rc %d): %s\n"
                         % (len(answers), len(questions), r.returncode, r.stderr.strip()[:300]))
        return None
    return answers


def main():
    sgreach, work, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    r = subprocess.run([sgreach, "exposure", "-q", "--format", "json"] + paths, capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL exposure exited %d: %s" % (r.returncode, r.stderr.strip()[:300]))
        print("COUNT 0 1")
        return 1
    listed = {}  # id -> [(ports, verdict)]
    hosts = {}  # id -> [host ports]
    for s in json.loads(r.stdout)["services"]:
        for e in s["endpoints"]:
            listed.setdefault(e["id"], []).append((e["ports"], e["verdict"]))
            hosts.setdefault(e["id"], []).append(e.get("host_ports"))

    def expected(ep_id, proto, port):
        best = "unreachable"
        for ports, verdict in listed.get(ep_id, []):
            if covers(ports, proto, port) and RANK[verdict] > RANK[best]:
                best = verdict
        return best

    bad = asked = 0
    # 1. what exposure lists, asked of can by the id it prints
    qs = [(i, pr, po) for i in sorted(listed) for ports, _ in listed[i] for pr, po in probes(ports)]
    qs = sorted(set(qs))
    answers = batch(sgreach, work, paths, qs) if qs else []
    if answers is None:
        print("COUNT 0 1")
        return 1
    printed = set(listed)
    for (ep_id, proto, port), ans in zip(qs, answers):
        asked += 1
        want = expected(ep_id, proto, port)
        if "error" in ans or ans.get("verdict") != want:
            bad += 1
            print("exposure lists %s %s/%d as %s; can --to it says %s" %
                  (ep_id, proto, port, want, ans.get("error") or ans.get("verdict")))
    # 2. every endpoint, through selectors from the input, on common ports
    sels = estate_selectors(paths)
    qs = [(s, pr, po) for s in sels for pr, po in COMMON]
    answers = batch(sgreach, work, paths, qs) if qs else []
    if answers is None:
        print("COUNT %d %d" % (asked, bad + 1))
        return 1
    seen = set()
    for (sel, proto, port), ans in zip(qs, answers):
        for pair in ans.get("pairs", []):
            key = (pair["to"], proto, port)
            printed.add(pair["to"])
            if key in seen:
                continue
            seen.add(key)
            asked += 1
            want = expected(pair["to"], proto, port)
            if pair["verdict"] != want:
                bad += 1
                print("can --to %s gives %s %s/%d: %s; exposure %s" %
                      (sel, pair["to"], proto, port, pair["verdict"],
                       "lists it so on that port as " + want if want != "unreachable" else "does not list it there"))
    # 3. every id printed is a selector naming exactly that endpoint
    ids = sorted(i for i in printed if i != "internet" and " " not in i)
    answers = batch(sgreach, work, paths, [(i, "tcp", 1) for i in ids]) if ids else []
    if answers is None:
        print("COUNT %d %d" % (asked, bad + 1))
        return 1
    for ep_id, ans in zip(ids, answers):
        asked += 1
        got = [p["to"] for p in ans.get("pairs", [])]
        if got != [ep_id]:
            bad += 1
            print("id %s is not a selector for itself: can --to it selects %s" %
                  (ep_id, ans.get("error") or ", ".join(got[:4]) or "nothing"))
    # 4. blast --from internet tells the same story, in the same port convention
    r = subprocess.run([sgreach, "blast", "-q", "--format", "json", "--from", "internet"] + paths,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL blast --from internet exited %d: %s" % (r.returncode, r.stderr.strip()[:300]))
        print("COUNT %d %d" % (asked, bad + 1))
        return 1
    blasted = {i["id"]: i for i in json.loads(r.stdout)["reachable"] if i["id"] != "internet"}
    for ep_id in sorted(set(blasted) | set(listed)):
        asked += 1
        b = blasted.get(ep_id)
        if not b or ep_id not in listed:
            bad += 1
            print("%s: %s" % (ep_id, "exposure lists it, blast --from internet does not" if not b
                              else "blast --from internet lists it on %s, exposure does not" % b["ports"]))
            continue
        want = port_union(p for p, _ in listed[ep_id])
        got = port_union([b["ports"], b.get("possible_ports")])
        want_host = port_union(hosts[ep_id])
        got_host = port_set(b.get("host_ports"))
        if got != want or got_host != want_host:
            bad += 1
            print("blast --from internet lists %s on %s (host %s); exposure on %s (host %s)" %
                  (ep_id, b["ports"], b.get("host_ports"), " | ".join(p for p, _ in listed[ep_id]),
                   " | ".join(h for h in hosts[ep_id] if h) or "none"))
    qs = sorted(set((i, pr, po) for i in sorted(blasted) if i in listed
                    for pr, po in probes(blasted[i]["ports"])))
    answers = batch(sgreach, work, paths, qs) if qs else []
    if answers is None:
        print("COUNT %d %d" % (asked, bad + 1))
        return 1
    for (ep_id, proto, port), ans in zip(qs, answers):
        asked += 1
        v = ans.get("verdict")
        if "error" in ans or v not in ("reachable", "unknown") or \
                (v == "unknown" and blasted[ep_id]["verdict"] == "reachable" and
                 not blasted[ep_id].get("possible_ports")):
            bad += 1
            print("blast --from internet lists %s on %s/%d (%s); can --to it says %s" %
                  (ep_id, proto, port, blasted[ep_id]["verdict"], ans.get("error") or v))
    print("COUNT %d %d" % (asked, bad))
    return 1 if bad or not asked else 0


if __name__ == "__main__":
    sys.exit(main())
