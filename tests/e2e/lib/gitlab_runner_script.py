"""Writes the shell script a GitLab runner (shell or docker executor, bash)
makes of a job: the job's variables exported, errexit and pipefail on, then
every line of `before_script` and/or `script`, each one echoed before it runs,
all in one shell. That is what makes `- rc=$?` on a line of its own read the
echo's status (always 0).

usage: gitlab_runner_script.py CI-FILE JOB KEYS OUT [PROJECT] [VAR=VALUE...]
  KEYS: "script", or "before_script,script"; OUT: the script to write.
  PROJECT: the repository root that `include: - local:` paths are relative to.
  VAR=VALUE: replaces a job variable (as a CI/CD variable of the project does).
`extends:` and `include: local:` are resolved as GitLab does for the keys used
here: the job's keys override the hidden job's, and `variables` merge.
shellcheck reads OUT whole, so that a variable set on one line and read on a
later one is seen as the runner sees it."""
import os
import shlex
import sys

import yaml

ci_file, job, keys, out = sys.argv[1:5]
project = sys.argv[5] if len(sys.argv) > 5 else os.path.dirname(os.path.abspath(ci_file))
overrides = dict(a.split("=", 1) for a in sys.argv[6:])

doc = yaml.safe_load(open(ci_file))
for inc in doc.get("include", []):
    doc = {**yaml.safe_load(open(os.path.join(project, inc["local"]))), **doc}


def resolve(name):
    j = dict(doc[name])
    if "extends" in j:
        parent = resolve(j.pop("extends"))
        merged = {**parent, **j}
        merged["variables"] = {**parent.get("variables", {}), **j.get("variables", {})}
        return merged
    return j


spec = resolve(job)
variables = {**spec.get("variables", {}), **overrides}
lines = []
for key in keys.split(","):
    lines += spec[key]
with open(out, "w") as f:
    f.write("#!/usr/bin/env bash\n")
    for k, v in variables.items():
        f.write("export %s=%s\n" % (k, shlex.quote(str(v))))
    f.write("set -eo pipefail\n")
    for line in lines:
        f.write("# shellcheck disable=SC2016 # the line as text, not expanded\n")
        f.write("echo %s\n" % shlex.quote("$ " + line.rstrip("\n")))
        f.write(line.rstrip("\n") + "\n")
