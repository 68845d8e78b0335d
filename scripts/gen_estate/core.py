"""Shared plumbing of the estate generator: seeded randomness, AWS-shaped ids,
address allocation and the writer of AWS CLI output files.

Everything random comes from one random.Random(seed) consumed in a fixed
order, so the same seed and size give byte-identical files.
"""

import ipaddress
import json
import os
import shutil

class Ids:
    """AWS-shaped identifiers, unique within one estate."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def hexs(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def make(self, prefix, n=17):
        while True:
            value = prefix + self.hexs(n)
            if value not in self.seen:
                self.seen.add(value)
                return value

    def uuid(self):
        h = self.hexs(32)
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


class Subnet4:
    """Hands out the addresses of one subnet in order, with small random gaps
    (AWS reserves the first four addresses and the last one)."""

    def __init__(self, cidr, rng):
        self.net = ipaddress.ip_network(cidr)
        self.rng = rng
        self.next = 4
        self.last = self.net.num_addresses - 2

    def free(self):
        return max(0, self.last - self.next + 1)

    def take(self):
        if self.next > self.last:
            raise RuntimeError("subnet %s is full" % self.net)
        addr = self.net.network_address + self.next
        self.next += 1 + (self.rng.random() < 0.15) * self.rng.randint(1, 3)
        return str(addr)


class PublicPool:
    """Public IPv4 addresses from ranges AWS really hands out (3/8, 18/8, 34/8,
    52/8, 54/8), never twice."""

    BLOCKS = (3, 18, 34, 44, 52, 54)

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def take(self):
        while True:
            a = "%d.%d.%d.%d" % (self.rng.choice(self.BLOCKS), self.rng.randint(0, 255),
                                 self.rng.randint(0, 255), self.rng.randint(1, 254))
            if a not in self.seen:
                self.seen.add(a)
                return a

    @staticmethod
    def dns(ip, region):
        dashed = ip.replace(".", "-")
        if region == "us-east-1":
            return "ec2-%s.compute-1.amazonaws.com" % dashed
        return "ec2-%s.%s.compute.amazonaws.com" % (dashed, region)


def private_dns(ip, region):
    dashed = ip.replace(".", "-")
    if region == "us-east-1":
        return "ip-%s.ec2.internal" % dashed
    return "ip-%s.%s.compute.internal" % (dashed, region)


def tags(**kv):
    return [{"Key": k, "Value": v} for k, v in kv.items()]


class Writer:
    """AWS CLI output files under OUT/<account>/<region>/.

    Each file is one or more JSON documents one after another, 4-space indented
    as the CLI prints them (compact: no whitespace at all, as `jq -c` prints
    them). By default a list is one document per call, as the CLI writes it
    (pagination is client-side and the CLI merges every page); with `page`
    items a page, one document per page (hand-collected pages). A merged list's
    items are written as they come to a spill file and copied into place at
    close, so a million interfaces never sit in memory at once; the result is
    byte for byte what json.dumps of the whole document gives.
    """

    def __init__(self, out, page, compact=False):
        self.out = out
        self.page = page
        self.compact = compact
        self.files = {}
        self.buffers = {}
        self.spills = {}
        self.bytes = 0

    def _dumps(self, obj):
        if self.compact:
            return json.dumps(obj, separators=(",", ":"))
        return json.dumps(obj, indent=4)

    def _file(self, account, region, name):
        key = (account, region, name)
        f = self.files.get(key)
        if f is None:
            d = os.path.join(self.out, account, region)
            os.makedirs(d, exist_ok=True)
            f = open(os.path.join(d, name + ".json"), "w", encoding="utf-8")
            self.files[key] = f
        return f

    def document(self, account, region, name, doc):
        """Writes one whole document (used for single-object outputs and wrappers)."""
        text = self._dumps(doc) + "\n"
        self.bytes += len(text)
        self._file(account, region, name).write(text)

    def item(self, account, region, name, key, obj, extra=None, chunk=None):
        """Adds one item to the list `key` of file `name`. `chunk` is the API's
        own limit per call (describe-tasks: 100, describe-services: 10): such
        outputs are never merged by the CLI, so they are always one document
        per call."""
        bkey = (account, region, name, key)
        limit = chunk or self.page
        if not limit:
            self._spill(bkey, obj, extra)
            return
        buf = self.buffers.setdefault(bkey, [[], extra])
        buf[0].append(obj)
        if len(buf[0]) >= limit:
            self._flush(bkey)

    def _spill(self, bkey, obj, extra):
        spill = self.spills.get(bkey)
        if spill is None:
            d = os.path.join(self.out, ".spill")
            os.makedirs(d, exist_ok=True)
            f = open(os.path.join(d, "%d.part" % len(self.spills)), "w+", encoding="utf-8")
            spill = self.spills[bkey] = [f, 0, extra]
        text = self._dumps(obj)
        if not self.compact:
            text = "        " + text.replace("\n", "\n        ")
        spill[0].write(text if spill[1] == 0 else (",\n" if not self.compact else ",") + text)
        spill[1] += 1

    def _write_spilled(self, bkey):
        account, region, name, key = bkey
        f, count, extra = self.spills.pop(bkey)
        # The document around the items: json.dumps of {key: [], **extra}
        # split at the empty list, so the bytes are json.dumps's own.
        around = self._dumps(dict([(key, [])] + list((extra or {}).items())))
        empty = '"%s": []' % key if not self.compact else '"%s":[]' % key
        at = around.index(empty) + len(empty) - 1
        out = self._file(account, region, name)
        head, tail = around[:at], around[at:] + "\n"
        if not self.compact:
            head, tail = head + "\n", "\n    " + tail
        out.write(head)
        f.seek(0)
        shutil.copyfileobj(f, out, 1 << 20)
        out.write(tail)
        self.bytes += len(head) + f.tell() + len(tail)
        f.close()
        os.unlink(f.name)

    def _flush(self, bkey):
        account, region, name, key = bkey
        items, extra = self.buffers[bkey]
        if not items:
            return
        doc = {key: items}
        if extra:
            doc.update(extra)
        self.document(account, region, name, doc)
        self.buffers[bkey] = [[], extra]

    def close(self):
        for bkey in sorted(set(self.buffers) | set(self.spills)):
            if bkey in self.spills:
                self._write_spilled(bkey)
            else:
                self._flush(bkey)
        if os.path.isdir(os.path.join(self.out, ".spill")):
            os.rmdir(os.path.join(self.out, ".spill"))
        for key in sorted(self.files):
            self.files[key].close()
        self.files = {}
