/* `check` results for code-scanning services (SARIF 2.1.0) and test reports (JUnit XML). */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "output/report_escape.h"
#include "output/writer_lib.h"

#define SGR_INFO_URI "https://github.com/sgreach/sgreach"
/* Rule help pages: the docs' sections (GitHub anchors of their headings). */
#define SGR_POLICY_HELP SGR_INFO_URI "/blob/main/docs/policy.md#entries-forbid-and-require"
#define SGR_FINDINGS_HELP SGR_INFO_URI "/blob/main/docs/report.md#findings-catalogue"
#define SRCROOT "%SRCROOT%"

/* ------------------------------------------------------------------ URIs */

/* `path` made absolute against the working directory, with "." and ".."
 * steps and repeated slashes removed (the file need not exist). */
static char *lexical_absolute(sgr_arena *a, const char *path)
{
    char cwd[4096] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    const char *joined = path[0] == '/' ? path : sgr_arena_printf(a, "%s/%s", cwd, path);
    size_t len = strlen(joined);
    char *out = sgr_arena_alloc(a, len + 2);
    size_t o = 0;
    for (const char *p = joined; *p;) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - seg);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        out[o++] = '/';
        memcpy(out + o, seg, n);
        o += n;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

/* The canonical absolute path (symbolic links resolved) when the file
 * exists, else the lexical one. */
static const char *absolute_path(sgr_arena *a, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return lexical_absolute(a, path);
    const char *r = sgr_arena_strdup(a, real);
    free(real);
    return r;
}

/* Percent-encodes what RFC 3986 does not allow unreserved in a path. */
static const char *uri_escape(sgr_arena *a, const char *prefix, const char *p)
{
    size_t plen = strlen(prefix), len = strlen(p);
    char *out = sgr_arena_alloc(a, plen + len * 3 + 1);
    memcpy(out, prefix, plen);
    char *o = out + plen;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
            *o++ = (char)c;
        else
            o += sprintf(o, "%%%02X", c);
    }
    *o = '\0';
    return out;
}

/* The root every relative URI is relative to: --source-root, else the working directory. */
static const char *root_dir(sgr_arena *a, const sgr_check_result *r)
{
    return absolute_path(a, r->source_root ? r->source_root : ".");
}

const char *sgr_check_relative_path(sgr_arena *a, const sgr_check_result *r, const char *path)
{
    const char *root = root_dir(a, r), *abs = absolute_path(a, path);
    size_t n = strcmp(root, "/") == 0 ? 0 : strlen(root);
    return strncmp(abs, root, n) == 0 && abs[n] == '/' ? abs + n + 1 : NULL;
}

/* A location's file as a URI relative to the root (percent-encoded), or an
 * absolute file:// URI when it lies outside (*relative false). */
static const char *artifact_uri(sgr_arena *a, const sgr_check_result *r, const char *path, bool *relative)
{
    const char *rel = sgr_check_relative_path(a, r, path);
    *relative = rel != NULL;
    return rel ? uri_escape(a, "", rel) : uri_escape(a, "file://", absolute_path(a, path));
}

/* ------------------------------------------------------------------ SARIF */

/* FILE:LINE of a rule, FILE relative to the root when it lies below it, so that
 * the message reads the same from any working directory, as the URIs do. */
static const char *origin_label(sgr_arena *a, const sgr_check_result *r, const sgr_origin *o)
{
    sgr_origin shown = *o;
    const char *rel = o->file ? sgr_check_relative_path(a, r, o->file) : NULL;
    if (rel)
        shown.file = rel;
    return sgr_origin_text(a, &shown);
}

/* One sentence: what is wrong and what opens (or blocks) it. */
static const char *violation_message(sgr_arena *a, const sgr_check_result *r, const sgr_violation *v)
{
    const char *from = sgr_name_label(a, v->from, v->from_name), *to = sgr_name_label(a, v->to, v->to_name);
    const char *ports = sgr_ports_label(a, v->protocol, v->protocol_name, v->ports, "all traffic");
    const char *msg;
    if (v->entry->kind == SGR_POLICY_FORBID)
        msg = sgr_arena_printf(a, "%s: %s %s %s on %s (forbidden)", v->entry->name, from,
                               v->possible ? "may reach" : "reaches", to, ports);
    else
        msg = sgr_arena_printf(a, "%s: %s %s %s on %s (required)", v->entry->name, from,
                               v->possible ? "may not reach" : "does not reach", to, ports);
    for (uint32_t k = 0; k < v->n_rules; k++)
        msg = sgr_arena_printf(a, "%s%s %s %s %s%s%s", msg, k ? ";" : ". Allowed by:", v->rules[k].component ? v->rules[k].component : "",
                               v->rules[k].direction ? v->rules[k].direction : "", v->rules[k].text ? v->rules[k].text : "",
                               v->rules[k].origin.file ? " at " : "", origin_label(a, r, &v->rules[k].origin));
    for (uint32_t k = 0; k < v->n_blocks; k++)
        msg = sgr_arena_printf(a, "%s%s %s: %s", msg, k ? ";" : ". Blocked by:", v->blocks[k].component ? v->blocks[k].component : "",
                               v->blocks[k].reason ? v->blocks[k].reason : "");
    for (uint32_t k = 0; k < v->n_missing; k++)
        msg = sgr_arena_printf(a, "%s%s %s", msg, k ? ";" : ". Missing:", v->missing[k]);
    if (v->waived)
        msg = sgr_arena_printf(a, "%s. Waived: %s", msg, v->waiver_reason);
    return sgr_arena_printf(a, "%s.", msg);
}

static const char *finding_message(sgr_arena *a, const sgr_check_finding *cf)
{
    const char *msg = cf->f->title;
    if (cf->f->fix)
        msg = sgr_arena_printf(a, "%s Fix: %s", msg, cf->f->fix);
    if (cf->waived)
        msg = sgr_arena_printf(a, "%s Waived: %s.", msg, cf->waiver_reason);
    return msg;
}

static json_t *text_obj(const char *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "text", sgr_json_text(s));
    return o;
}

/* A rule's help (plain and Markdown), the page it points to, and the level
 * of its results unless the policy says otherwise. */
static void set_help(json_t *rule, const char *text, const char *markdown, const char *uri, const char *level)
{
    json_t *help = text_obj(text);
    json_object_set_new(help, "markdown", sgr_json_text(markdown));
    json_object_set_new(rule, "help", help);
    json_object_set_new(rule, "helpUri", sgr_json_text(uri));
    json_t *cfg = json_object();
    json_object_set_new(cfg, "level", sgr_json_text(level));
    json_object_set_new(rule, "defaultConfiguration", cfg);
}

/* GitHub code scanning's security severity, a score 0.0-10.0 as a string:
 * over 9.0 shows as critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low
 * (GitHub Docs, "SARIF support for code scanning"). */
static const char *score_of_fsev(sgr_fsev s)
{
    static const char *const SCORES[] = {"9.5", "8.0", "5.5", "3.0", "1.0"};
    return (unsigned)s < 5 ? SCORES[s] : "1.0";
}

/* A policy entry's severity as written: critical/high/medium/low, or SARIF's
 * level names (an absent severity is "error", which reads as high). */
static const char *score_of_severity(const char *sev)
{
    static const struct { const char *name; sgr_fsev s; } MAP[] = {
        {"critical", SGR_FSEV_CRITICAL}, {"high", SGR_FSEV_HIGH}, {"error", SGR_FSEV_HIGH},  {"medium", SGR_FSEV_MEDIUM},
        {"warning", SGR_FSEV_MEDIUM},    {"low", SGR_FSEV_LOW},   {"note", SGR_FSEV_LOW},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (strcmp(sev, MAP[i].name) == 0)
            return score_of_fsev(MAP[i].s);
    return score_of_fsev(SGR_FSEV_HIGH);
}

static const char *level_of_fsev(sgr_fsev s)
{
    return s <= SGR_FSEV_HIGH ? "error" : s == SGR_FSEV_MEDIUM ? "warning" : "note";
}

static json_t *tags(const char *second, const char *third)
{
    json_t *t = json_array();
    json_array_append_new(t, sgr_json_text("security"));
    json_array_append_new(t, sgr_json_text(second));
    if (third)
        json_array_append_new(t, sgr_json_text(third));
    return t;
}

/* A physical location; relative URIs carry uriBaseId %SRCROOT%. */
static json_t *physical(sgr_arena *a, const sgr_check_result *r, const char *file, uint32_t line)
{
    bool relative;
    json_t *art = json_object();
    json_object_set_new(art, "uri", sgr_json_text(artifact_uri(a, r, file, &relative)));
    if (relative)
        json_object_set_new(art, "uriBaseId", sgr_json_text(SRCROOT));
    json_t *region = json_object();
    json_object_set_new(region, "startLine", json_integer(line ? line : 1));
    json_t *pl = json_object();
    json_object_set_new(pl, "artifactLocation", art);
    json_object_set_new(pl, "region", region);
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", pl);
    return loc;
}

static void add_tf_address(json_t *loc, const char *address)
{
    if (!address)
        return;
    json_t *ll = json_object();
    json_object_set_new(ll, "fullyQualifiedName", sgr_json_text(address));
    json_object_set_new(ll, "kind", sgr_json_text("resource"));
    json_t *lls = json_array();
    json_array_append_new(lls, ll);
    json_object_set_new(loc, "logicalLocations", lls);
}

static void set_acceptance(json_t *res, const sgr_check_result *r, sgr_baseline_state baseline, bool waived,
                           const char *reason)
{
    if (r->baseline_file)
        json_object_set_new(res, "baselineState", sgr_json_text(baseline == SGR_BASELINE_KNOWN ? "unchanged" : "new"));
    if (waived) {
        json_t *sup = json_object();
        json_object_set_new(sup, "kind", sgr_json_text("external"));
        json_object_set_new(sup, "justification", sgr_json_text(reason));
        json_t *sups = json_array();
        json_array_append_new(sups, sup);
        json_object_set_new(res, "suppressions", sups);
    }
}

static bool seen_before(const sgr_rule_ref *rules, uint32_t k)
{
    for (uint32_t j = 0; j < k; j++)
        if (rules[j].origin.file && strcmp(rules[j].origin.file, rules[k].origin.file) == 0 && rules[j].origin.line == rules[k].origin.line)
            return true;
    return false;
}

/* One more related location: a rule at o, described by message. */
static void add_related(json_t *related, sgr_arena *a, const sgr_check_result *r, const sgr_origin *o,
                        const char *message)
{
    json_t *rl = physical(a, r, o->file, o->line);
    json_object_set_new(rl, "id", json_integer(json_array_size(related) + 1));
    json_object_set_new(rl, "message", text_obj(message));
    add_tf_address(rl, o->tf_address);
    json_array_append_new(related, rl);
}

/* The related locations, when there are any (SARIF wants none rather than an empty array). */
static void set_related(json_t *res, json_t *related)
{
    if (json_array_size(related))
        json_object_set_new(res, "relatedLocations", related);
    else
        json_decref(related);
}

/* The fingerprint code scanning follows a result by from one run to the next. */
static void set_fingerprint(json_t *res, const char *key, const char *fingerprint)
{
    json_t *fp = json_object();
    json_object_set_new(fp, key, sgr_json_text(fingerprint));
    json_object_set_new(res, "partialFingerprints", fp);
}

static json_t *result_json(sgr_arena *a, const sgr_check_result *r, const sgr_violation *v)
{
    json_t *res = json_object();
    json_object_set_new(res, "ruleId", sgr_json_text(v->entry->name));
    json_object_set_new(res, "ruleIndex", json_integer(v->entry - r->policy->entries));
    json_object_set_new(res, "level", sgr_json_text(sgr_level_name(v->entry->level)));
    json_object_set_new(res, "message", text_obj(violation_message(a, r, v)));
    const char *file = v->loc_file ? v->loc_file : r->policy->file;
    uint32_t line = v->loc_file ? v->loc_line : v->entry->line;
    json_t *locs = json_array();
    json_t *loc = physical(a, r, file, line);
    if (v->loc_file)
        add_tf_address(loc, v->loc_tf_address); /* a rule from a Terraform plan: its resource address too */
    json_array_append_new(locs, loc);
    json_object_set_new(res, "locations", locs);
    /* Every other rule on the path, so a reviewer sees the whole chain (once
     * each: a path crosses the same ACL entry going and returning). */
    json_t *related = json_array();
    for (uint32_t k = 0; k < v->n_rules; k++) {
        const sgr_origin *o = &v->rules[k].origin;
        if (!o->file || (strcmp(o->file, file) == 0 && o->line == line) || seen_before(v->rules, k))
            continue;
        add_related(related, a, r, o,
                    sgr_arena_printf(a, "%s %s %s", v->rules[k].component ? v->rules[k].component : "",
                                     v->rules[k].direction ? v->rules[k].direction : "",
                                     v->rules[k].text ? v->rules[k].text : ""));
    }
    set_related(res, related);
    set_fingerprint(res, "sgreachViolation/v1", v->fingerprint);
    set_acceptance(res, r, v->baseline, v->waived, v->waiver_reason);
    json_t *props = json_object();
    json_object_set_new(props, "kind", sgr_json_text(sgr_policy_kind_name(v->entry->kind)));
    json_object_set_new(props, "from", sgr_json_text(v->from));
    json_object_set_new(props, "to", sgr_json_text(v->to));
    json_object_set_new(props, "protocol", sgr_json_text(v->protocol_name));
    json_object_set_new(props, "ports", sgr_json_text(v->ports));
    json_object_set_new(props, "verdict", sgr_json_text(v->verdict));
    json_object_set_new(props, "possible", json_boolean(v->possible));
    json_object_set_new(res, "properties", props);
    return res;
}

/* A finding's result, located at its first rule with a file. Code scanning
 * needs a location on every result, so a finding with none (rare: every
 * check cites a rule or a resource's record) points at the policy's first
 * line, and carries no location only when there is no policy either. */
static json_t *finding_result_json(sgr_arena *a, const sgr_check_result *r, const sgr_check_finding *cf, size_t rule_index)
{
    const sgr_finding *f = cf->f;
    json_t *res = json_object();
    json_object_set_new(res, "ruleId", sgr_json_text(sgr_check_finding_rule(a, f->check)));
    json_object_set_new(res, "ruleIndex", json_integer((json_int_t)rule_index));
    json_object_set_new(res, "level", sgr_json_text(level_of_fsev(f->severity)));
    json_object_set_new(res, "message", text_obj(finding_message(a, cf)));
    const sgr_origin *primary = sgr_check_finding_origin(f);
    json_t *locs = json_array();
    if (primary) {
        json_t *loc = physical(a, r, primary->file, primary->line);
        add_tf_address(loc, primary->tf_address);
        json_array_append_new(locs, loc);
    } else if (r->policy->file) {
        json_array_append_new(locs, physical(a, r, r->policy->file, 1));
    }
    json_object_set_new(res, "locations", locs);
    json_t *related = json_array();
    for (uint32_t k = 0; k < f->n_rules; k++) {
        const sgr_origin *o = &f->rules[k].origin;
        if (!o->file || o == primary)
            continue;
        add_related(related, a, r, o,
                    sgr_arena_printf(a, "%s %s", f->rules[k].component ? f->rules[k].component : "",
                                     f->rules[k].text ? f->rules[k].text : ""));
    }
    set_related(res, related);
    set_fingerprint(res, "sgreachFinding/v1", cf->fingerprint);
    set_acceptance(res, r, cf->baseline, cf->waived, cf->waiver_reason);
    json_t *props = json_object();
    json_object_set_new(props, "finding", sgr_json_text(f->id));
    json_object_set_new(props, "severity", sgr_json_text(sgr_fsev_name(f->severity)));
    json_object_set_new(props, "security-severity", sgr_json_text(score_of_fsev(f->severity)));
    json_object_set_new(props, "resources", sgr_json_texts(f->resources, f->n_resources));
    json_object_set_new(res, "properties", props);
    return res;
}

static json_t *entry_rule(sgr_arena *a, const sgr_policy_entry *en)
{
    json_t *rule = json_object();
    json_object_set_new(rule, "id", sgr_json_text(en->name));
    json_object_set_new(rule, "name", sgr_json_text(en->name));
    bool forbid = en->kind == SGR_POLICY_FORBID;
    const char *what = sgr_arena_printf(a, "%s %s -> %s on %s", forbid ? "Forbidden:" : "Required:", en->from, en->to,
                                        en->ports_text);
    json_object_set_new(rule, "shortDescription", text_obj(en->description ? en->description : what));
    const char *full = sgr_arena_printf(a, "%s The policy %s any path from %s to %s on %s.", en->description ? en->description : what,
                                        forbid ? "forbids" : "requires", en->from, en->to, en->ports_text);
    json_object_set_new(rule, "fullDescription", text_obj(full));
    const char *fix = forbid ? "Remove or narrow the rule that opens the path (the alert's location; the other rules on the "
                               "path are its related locations), or waive it in the policy with a reason and an expiry date."
                             : "Open the path where the alert points (the first component that blocks it), or fix the "
                               "policy entry if the requirement has changed.";
    set_help(rule, sgr_arena_printf(a, "%s\n\n%s\n\nPolicy entry %s (%s, severity %s).", full, fix, en->name, en->path, en->severity),
             sgr_arena_printf(a, "%s\n\n%s\n\nPolicy entry `%s` (`%s`, severity %s). See [policy entries](%s).", full, fix,
                              en->name, en->path, en->severity, SGR_POLICY_HELP),
             SGR_POLICY_HELP, sgr_level_name(en->level));
    json_t *props = json_object();
    json_object_set_new(props, "kind", sgr_json_text(sgr_policy_kind_name(en->kind)));
    json_object_set_new(props, "severity", sgr_json_text(en->severity));
    json_object_set_new(props, "security-severity", sgr_json_text(score_of_severity(en->severity)));
    json_object_set_new(props, "tags", tags("network", sgr_policy_kind_name(en->kind)));
    json_object_set_new(rule, "properties", props);
    return rule;
}

static json_t *finding_rule(sgr_arena *a, const sgr_fcheck *c)
{
    json_t *rule = json_object();
    json_object_set_new(rule, "id", sgr_json_text(sgr_check_finding_rule(a, c->code)));
    json_object_set_new(rule, "name", sgr_json_text(c->code));
    json_object_set_new(rule, "shortDescription", text_obj(c->name));
    json_object_set_new(rule, "fullDescription", text_obj(c->rationale));
    set_help(rule, sgr_arena_printf(a, "%s\n\n%s\n\nSource: %s.", c->name, c->rationale, c->source),
             sgr_arena_printf(a, "**%s** (`%s`)\n\n%s\n\nSource: %s. See [the findings catalogue](%s).", c->name, c->code,
                              c->rationale, c->source, SGR_FINDINGS_HELP),
             SGR_FINDINGS_HELP, level_of_fsev(c->severity));
    json_t *props = json_object();
    json_object_set_new(props, "severity", sgr_json_text(sgr_fsev_name(c->severity)));
    json_object_set_new(props, "security-severity", sgr_json_text(score_of_fsev(c->severity)));
    json_object_set_new(props, "tags", tags("network", "finding"));
    json_object_set_new(rule, "properties", props);
    return rule;
}

void sgr_check_write_sarif(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    json_t *rules = json_array();
    for (uint32_t e = 0; e < p->n_entries; e++)
        json_array_append_new(rules, entry_rule(a, &p->entries[e]));
    /* the catalogue's checks follow the entries: a finding's ruleIndex is
     * the entries' count plus its check's place in the catalogue */
    uint32_t n_checks = 0;
    const sgr_fcheck *cat = r->with_findings ? sgr_findings_catalogue(&n_checks) : NULL;
    for (uint32_t c = 0; c < n_checks; c++)
        json_array_append_new(rules, finding_rule(a, &cat[c]));
    json_t *driver = json_object();
    json_object_set_new(driver, "name", sgr_json_text("sgreach"));
    json_object_set_new(driver, "version", sgr_json_text(SGREACH_VERSION));
    json_object_set_new(driver, "semanticVersion", sgr_json_text(SGREACH_VERSION));
    json_object_set_new(driver, "informationUri", sgr_json_text(SGR_INFO_URI));
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);
    json_t *results = json_array();
    for (uint32_t i = 0; i < r->n; i++)
        json_array_append_new(results, result_json(a, r, &r->v[i]));
    for (uint32_t i = 0; i < r->n_findings; i++) {
        uint32_t c = 0;
        while (c < n_checks && strcmp(cat[c].code, r->findings[i].f->check) != 0)
            c++;
        json_array_append_new(results, finding_result_json(a, r, &r->findings[i], p->n_entries + c));
    }
    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    /* the root relative URIs hang from (a directory URI ends with '/') */
    const char *root = root_dir(a, r);
    json_t *base = json_object();
    json_object_set_new(base, "uri", sgr_json_text(uri_escape(a, "file://", strcmp(root, "/") ? sgr_arena_printf(a, "%s/", root) : root)));
    json_t *bases = json_object();
    json_object_set_new(bases, SRCROOT, base);
    json_object_set_new(run, "originalUriBaseIds", bases);
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "columnKind", sgr_json_text("unicodeCodePoints"));
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_t *root_obj = json_object();
    json_object_set_new(root_obj, "$schema", sgr_json_text("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(root_obj, "version", sgr_json_text("2.1.0"));
    json_object_set_new(root_obj, "runs", runs);
    sgr_json_print(out, root_obj);
}

/* ------------------------------------------------------------------ JUnit */

/* The findings as a second suite: one test case per check of the catalogue,
 * failing when one of its findings fails (--fail-on). */
static void junit_findings(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    uint32_t n_checks, failing_checks = 0;
    const sgr_fcheck *cat = sgr_findings_catalogue(&n_checks);
    for (uint32_t c = 0; c < n_checks; c++) {
        bool f = false;
        for (uint32_t i = 0; i < r->n_findings; i++)
            f = f || (strcmp(r->findings[i].f->check, cat[c].code) == 0 && sgr_check_finding_fails(r, &r->findings[i]));
        failing_checks += f;
    }
    fprintf(out, "  <testsuite name=\"sgreach findings\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n", n_checks,
            failing_checks);
    for (uint32_t c = 0; c < n_checks; c++) {
        fprintf(out, "    <testcase classname=\"sgreach.finding\" name=\"%s\"", cat[c].code); /* codes are [a-z-] */
        uint32_t nv = 0, nf = 0;
        for (uint32_t i = 0; i < r->n_findings; i++)
            if (strcmp(r->findings[i].f->check, cat[c].code) == 0) {
                nv++;
                nf += sgr_check_finding_fails(r, &r->findings[i]);
            }
        if (!nv) {
            fputs("/>\n", out);
            continue;
        }
        fputs(">\n", out);
        for (int failing = 1; failing >= 0; failing--) {
            if (failing ? !nf : nv == nf)
                continue;
            if (failing) {
                fprintf(out, "      <failure type=\"finding\" message=\"");
                sgr_esc_xml(out, sgr_arena_printf(a, "%u finding%s: %s", nf, nf == 1 ? "" : "s", cat[c].name));
                fputs("\">", out);
            } else {
                fputs("      <system-out>", out);
            }
            for (uint32_t i = 0; i < r->n_findings; i++) {
                const sgr_check_finding *cf = &r->findings[i];
                if (strcmp(cf->f->check, cat[c].code) != 0 || sgr_check_finding_fails(r, cf) != (bool)failing)
                    continue;
                const sgr_origin *o = sgr_check_finding_origin(cf->f);
                sgr_esc_xml_lines(out, sgr_arena_printf(a, "%s%s [%s] %s%s\n", failing ? "" : cf->waived ? "waived: " : cf->baseline == SGR_BASELINE_KNOWN ? "known (baseline): " : "below --fail-on: ",
                                              sgr_fsev_name(cf->f->severity), cf->f->id, finding_message(a, cf),
                                              o ? sgr_arena_printf(a, " [%s]", sgr_origin_text(a, o)) : ""));
            }
            fputs(failing ? "</failure>\n" : "</system-out>\n", out);
        }
        fputs("    </testcase>\n", out);
    }
    fputs("  </testsuite>\n", out);
}

void sgr_check_write_junit(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    uint32_t failing_entries = 0;
    for (uint32_t e = 0; e < p->n_entries; e++) {
        bool f = false;
        uint32_t lo, hi;
        sgr_check_entry_span(r, e, &lo, &hi);
        for (uint32_t i = lo; i < hi; i++)
            f = f || (r->v[i].entry == &p->entries[e] && sgr_violation_fails(&r->v[i]));
        failing_entries += f;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sgreach check\">\n", out);
    fprintf(out, "  <testsuite name=\"");
    sgr_esc_xml(out, p->file);
    fprintf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n", p->n_entries, failing_entries);
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        fprintf(out, "    <testcase classname=\"sgreach.%s\" name=\"", sgr_policy_kind_name(en->kind));
        sgr_esc_xml(out, en->name);
        fputs("\"", out);
        uint32_t nf, nv, lo, hi;
        sgr_check_entry_tally(r, e, &lo, &hi, &nv, &nf);
        if (!nv) {
            fputs("/>\n", out);
            continue;
        }
        fputs(">\n", out);
        if (nf) {
            fprintf(out, "      <failure type=\"%s\" message=\"", sgr_policy_kind_name(en->kind));
            sgr_esc_xml(out, sgr_arena_printf(a, "%u violation%s of %s %s -> %s on %s", nf, nf == 1 ? "" : "s",
                                          sgr_policy_kind_name(en->kind), en->from, en->to, en->ports_text));
            fputs("\">", out);
            for (uint32_t i = lo; i < hi; i++)
                if (r->v[i].entry == en && sgr_violation_fails(&r->v[i])) {
                    sgr_esc_xml_lines(out, violation_message(a, r, &r->v[i]));
                    sgr_esc_xml_lines(out, sgr_arena_printf(a, " [%s]\n", r->v[i].loc_line ? sgr_arena_printf(a, "%s:%u", r->v[i].loc_file, r->v[i].loc_line)
                                                                                 : r->v[i].loc_file ? r->v[i].loc_file : p->file));
                }
            fputs("</failure>\n", out);
        }
        if (nv > nf) { /* accepted ones: waived or in the baseline */
            fputs("      <system-out>", out);
            for (uint32_t i = lo; i < hi; i++)
                if (r->v[i].entry == en && !sgr_violation_fails(&r->v[i])) {
                    sgr_esc_xml_lines(out, r->v[i].waived ? "waived: " : "known (baseline): ");
                    sgr_esc_xml_lines(out, violation_message(a, r, &r->v[i]));
                    fputc('\n', out);
                }
            fputs("</system-out>\n", out);
        }
        fputs("    </testcase>\n", out);
    }
    fputs("  </testsuite>\n", out);
    if (r->with_findings)
        junit_findings(out, r, a);
    fputs("</testsuites>\n", out);
}
