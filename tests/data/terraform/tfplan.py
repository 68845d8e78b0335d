"""Builds Terraform plan JSON in the shape `terraform show -json PLANFILE` prints.

Used to write the planned designs under fixtures/terraform/ and the unit-test plans
under tests/data/terraform/. The shape follows Terraform 1.9 (format_version 1.2), as
in tests/corpus/terraform-plans/checkov-sg-for-each-modules-plan.json: top-level
keys in Terraform's order, resource_changes and planned_values sorted by address,
unknown attributes absent from `after`/`values` and `true` in `after_unknown`, nested
blocks always arrays, references listed longest first ("aws_vpc.main.id", "aws_vpc.main").
"""
import json
import re

PROVIDER = "registry.terraform.io/hashicorp/aws"


def ref(*targets):
    """An expression with references; each "a.b.id" also lists "a.b" as Terraform does."""
    out = []
    for t in targets:
        out.append(t)
        parts = t.split(".")
        if t.startswith(("var.", "local.", "each.", "count.")):
            continue
        if t.startswith("module."):
            base = ".".join(parts[:2])
        elif t.startswith("data."):
            base = ".".join(parts[:3])
        else:
            base = ".".join(parts[:2])
        if base != t and base not in out:
            out.append(base)
        bare = re.sub(r"\[.*$", "", base)
        if bare != base and bare not in out:
            out.append(bare)
    return {"references": out}


def const(v):
    return {"constant_value": v}


def _index_text(index):
    if index is None:
        return ""
    if isinstance(index, int):
        return "[%d]" % index
    return '["%s"]' % index


def _config_path(module):
    """module.svc["a"].module.x[0] -> ["svc", "x"]"""
    return re.findall(r'module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?', module)


def _strip_unknown(after, unknown):
    """`after` without the leaves `unknown` marks true (Terraform omits them)."""
    if unknown is True:
        return None
    if isinstance(after, dict) and isinstance(unknown, dict):
        out = {}
        for k, v in after.items():
            u = unknown.get(k)
            if u is True:
                continue
            out[k] = _strip_unknown(v, u) if u is not None else v
        return out
    if isinstance(after, list) and isinstance(unknown, list):
        return [None if (i < len(unknown) and unknown[i] is True)
                else _strip_unknown(v, unknown[i] if i < len(unknown) else None)
                for i, v in enumerate(after)]
    return after


def _sensitive_shape(v):
    """Terraform's sensitive_values: the shape of nested values, no sensitive leaf here."""
    if isinstance(v, dict):
        return {k: _sensitive_shape(x) for k, x in v.items() if isinstance(x, (dict, list))}
    if isinstance(v, list):
        return [_sensitive_shape(x) if isinstance(x, (dict, list)) else False for x in v]
    return False


class Plan:
    def __init__(self, terraform_version="1.9.5", timestamp="2026-11-25T09:00:00Z"):
        self.terraform_version = terraform_version
        self.timestamp = timestamp
        self.resources = []      # dicts: address, module, type, name, index, actions, before, after, unknown
        self.config = {"resources": {}, "module_calls": {}}
        self.variables = {}

    # ------------------------------------------------------------ configuration
    def _config_module(self, path):
        node = self.config
        for name in path:
            call = node["module_calls"].setdefault(name, {"source": "./modules/" + name, "expressions": {},
                                                          "module": {"resources": {}, "module_calls": {}}})
            node = call["module"]
        return node

    def module_call(self, path, source=None, expressions=None, variables=None, outputs=None,
                    count=None, for_each=None):
        """path: "svc" or "net.sub" (config names). outputs: {name: expression}."""
        names = path.split(".")
        parent = self._config_module(names[:-1])
        call = parent["module_calls"].setdefault(names[-1], {"source": "./modules/" + names[-1],
                                                             "expressions": {},
                                                             "module": {"resources": {}, "module_calls": {}}})
        if source:
            call["source"] = source
        call["expressions"].update(expressions or {})
        mod = call["module"]
        if outputs:
            mod["outputs"] = {k: {"expression": v} for k, v in outputs.items()}
        if variables:
            mod["variables"] = {k: ({"default": d} if d is not None else {}) for k, d in variables.items()}
        if count is not None:
            call["count_expression"] = count
        if for_each is not None:
            call["for_each_expression"] = for_each

    def variable(self, name, value):
        self.variables[name] = {"value": value}

    # ------------------------------------------------------------ resources
    def add(self, rtype, name, after, unknown=None, expressions=None, module="", index=None,
            actions=("create",), before=None, count=None, for_each=None, mode="managed"):
        unknown = dict(unknown or {})
        if "create" in actions and mode == "managed":
            unknown.setdefault("id", True)
            unknown.setdefault("arn", True) if rtype not in ("aws_route", "aws_route_table_association",
                                                             "aws_security_group_rule") else None
            unknown.setdefault("tags_all", True)
        prefix = module + "." if module else ""
        base = ("data." if mode == "data" else "") + rtype + "." + name
        address = prefix + base + _index_text(index)
        self.resources.append({"address": address, "module": module, "type": rtype, "name": name,
                               "index": index, "actions": list(actions), "before": before,
                               "after": after, "unknown": unknown, "mode": mode})
        cfg = self._config_module(_config_path(module))
        entry = cfg["resources"].setdefault(base, {"address": base, "mode": mode, "type": rtype, "name": name,
                                                   "provider_config_key": "aws", "expressions": {},
                                                   "schema_version": 0})
        entry["expressions"].update(expressions or {})
        if count is not None:
            entry["count_expression"] = count
        if for_each is not None:
            entry["for_each_expression"] = for_each
        return address

    # ------------------------------------------------------------ output
    def _values_tree(self, items, value_of):
        root = {"resources": [], "child_modules": {}}
        for r in sorted(items, key=lambda r: r["address"]):
            vals = value_of(r)
            if vals is None:
                continue
            node = root
            mods = re.findall(r'(module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)', r["module"])
            path = ""
            for m in mods:
                path = path + "." + m if path else m
                node = node["child_modules"].setdefault(path, {"resources": [], "child_modules": {}})
            res = {"address": r["address"], "mode": r["mode"], "type": r["type"], "name": r["name"]}
            if r["index"] is not None:
                res["index"] = r["index"]
            res.update({"provider_name": PROVIDER, "schema_version": 0, "values": vals,
                        "sensitive_values": _sensitive_shape(vals)})
            node["resources"].append(res)

        def emit(node, address=None):
            out = {}
            if node["resources"]:
                out["resources"] = node["resources"]
            if address:
                out["address"] = address
            kids = [emit(n, a) for a, n in sorted(node["child_modules"].items())]
            if kids:
                out["child_modules"] = kids
            return out
        return emit(root)

    def _config_out(self, node):
        out = {}
        if node.get("outputs"):
            out["outputs"] = node["outputs"]
        if node["resources"]:
            out["resources"] = [node["resources"][k] for k in sorted(node["resources"])]
        if node["module_calls"]:
            calls = {}
            for k in sorted(node["module_calls"]):
                c = dict(node["module_calls"][k])
                c["module"] = self._config_out(c["module"])
                calls[k] = c
            out["module_calls"] = calls
        if node.get("variables"):
            out["variables"] = node["variables"]
        return out

    def doc(self):
        changes = []
        for r in sorted(self.resources, key=lambda r: r["address"]):
            if r["mode"] == "data":
                continue
            deleting = r["actions"] == ["delete"]
            after = None if deleting else _strip_unknown(r["after"], r["unknown"])
            rc = {"address": r["address"]}
            if r["module"]:
                rc["module_address"] = r["module"]
            rc.update({"mode": r["mode"], "type": r["type"], "name": r["name"]})
            if r["index"] is not None:
                rc["index"] = r["index"]
            rc["provider_name"] = PROVIDER
            rc["change"] = {"actions": r["actions"], "before": r["before"], "after": after,
                            "after_unknown": {} if deleting else r["unknown"],
                            "before_sensitive": _sensitive_shape(r["before"]) if r["before"] else False,
                            "after_sensitive": _sensitive_shape(after) if after else False}
            if r["actions"] == ["delete", "create"] or r["actions"] == ["create", "delete"]:
                rc["action_reason"] = "replace_because_cannot_update"
            changes.append(rc)
        planned = self._values_tree(
            self.resources,
            lambda r: None if r["actions"] == ["delete"] or r["mode"] == "data"
            else _strip_unknown(r["after"], r["unknown"]))
        doc = {"format_version": "1.2", "terraform_version": self.terraform_version}
        if self.variables:
            doc["variables"] = self.variables
        doc["planned_values"] = {"root_module": planned}
        doc["resource_changes"] = changes
        prior = [r for r in self.resources if r["before"] is not None or r["mode"] == "data"]
        if prior:
            doc["prior_state"] = {"format_version": "1.0", "terraform_version": self.terraform_version,
                                  "values": {"root_module": self._values_tree(
                                      prior, lambda r: r["after"] if r["mode"] == "data" else r["before"])}}
        doc["configuration"] = {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
                                "root_module": self._config_out(self.config)}
        doc["timestamp"] = self.timestamp
        doc["applyable"] = True
        doc["complete"] = True
        doc["errored"] = False
        return doc

    def write(self, path):
        """Compact single-line JSON, as the CLI prints it."""
        with open(path, "w") as f:
            json.dump(self.doc(), f, separators=(",", ":"))
            f.write("\n")
