"""Lists the network requests a page made, from a Chromium net log (--log-net-log).

Chromium's own background traffic (updates, accounts) has no page as its site;
the jobs of requests a file:// page makes (URL_REQUEST_START_JOB) carry
`site_for_cookies` site=file://. Prints one URL a line; exit 0 either way.
"""
import json
import sys

text = open(sys.argv[1]).read()
try:
    log = json.loads(text)
except ValueError:  # a log cut short when the browser exits: take what parses
    log, _ = json.JSONDecoder().raw_decode(text.rstrip().rstrip(",") + "]}")
types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
urls = set()
for ev in log.get("events", []):
    p = ev.get("params") or {}
    url = p.get("url")
    if not url or url.startswith("file:") or url.startswith("data:"):
        continue
    kind = types.get(ev.get("type"), "")
    if kind == "URL_REQUEST_START_JOB" and "site=file://" in str(p.get("site_for_cookies", "")):
        urls.add(url)
print("\n".join(sorted(urls)))
