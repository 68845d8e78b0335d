/* `check` results for code-scanning services (SARIF 2.1.0) and test reports (JUnit XML). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queries/check.h"

#define SGR_INFO_URI "https://github.com/sgreach/sgreach"

/* A SARIF artifact URI: relative to the working directory when the file is
 * below it (code scanning resolves relative URIs against the checkout), a
 * file:// URI when it is elsewhere; reserved characters percent-encoded. */
static const char *artifact_uri(sgr_arena *a, const char *path)
{
    char cwd[4096];
    const char *p = path;
    bool absolute = path[0] == '/';
    if (absolute && getcwd(cwd, sizeof cwd)) {
        size_t n = strlen(cwd);
        if (strncmp(path, cwd, n) == 0 && path[n] == '/') {
            p = path + n + 1;
            absolute = false;
        }
    }
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    size_t len = strlen(p);
    char *out = sgr_arena_alloc(a, len * 3 + 8);
    char *o = out;
    if (absolute) {
        memcpy(o, "file://", 7);
        o += 7;
    }
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

static const char *ports_label(sgr_arena *a, const sgr_violation *v)
{
    if (v->protocol < 0)
        return "all traffic";
    if (strcmp(v->ports, "all") == 0)
        return v->protocol_name;
    return sgr_arena_printf(a, "%s:%s", v->protocol_name, v->ports);
}

static const char *ep_label(sgr_arena *a, const char *id, const char *name)
{
    return (!name || strcmp(id, name) == 0) ? id : sgr_arena_printf(a, "%s (%s)", id, name);
}

/* One sentence: what is wrong and what opens (or blocks) it. */
static const char *violation_message(sgr_arena *a, const sgr_violation *v)
{
    const char *from = ep_label(a, v->from, v->from_name), *to = ep_label(a, v->to, v->to_name);
    const char *msg;
    if (v->entry->kind == SGR_POLICY_FORBID)
        msg = sgr_arena_printf(a, "%s: %s %s %s on %s (forbidden)", v->entry->name, from,
                               v->possible ? "may reach" : "reaches", to, ports_label(a, v));
    else
        msg = sgr_arena_printf(a, "%s: %s %s %s on %s (required)", v->entry->name, from,
                               v->possible ? "may not reach" : "does not reach", to, ports_label(a, v));
    for (uint32_t k = 0; k < v->n_rules; k++)
        msg = sgr_arena_printf(a, "%s%s %s %s %s%s%s", msg, k ? ";" : ". Allowed by:", v->rules[k].component ? v->rules[k].component : "",
                               v->rules[k].direction ? v->rules[k].direction : "", v->rules[k].text ? v->rules[k].text : "",
                               v->rules[k].origin.file ? " at " : "", sgr_origin_text(a, &v->rules[k].origin));
    for (uint32_t k = 0; k < v->n_blocks; k++)
        msg = sgr_arena_printf(a, "%s%s %s: %s", msg, k ? ";" : ". Blocked by:", v->blocks[k].component ? v->blocks[k].component : "",
                               v->blocks[k].reason ? v->blocks[k].reason : "");
    for (uint32_t k = 0; k < v->n_missing; k++)
        msg = sgr_arena_printf(a, "%s%s %s", msg, k ? ";" : ". Missing:", v->missing[k]);
    if (v->waived)
        msg = sgr_arena_printf(a, "%s. Waived: %s", msg, v->waiver_reason);
    return sgr_arena_printf(a, "%s.", msg);
}

static json_t *text_obj(const char *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "text", json_string(s));
    return o;
}

static json_t *physical(sgr_arena *a, const char *file, uint32_t line)
{
    json_t *art = json_object();
    json_object_set_new(art, "uri", json_string(artifact_uri(a, file)));
    json_t *region = json_object();
    json_object_set_new(region, "startLine", json_integer(line ? line : 1));
    json_t *pl = json_object();
    json_object_set_new(pl, "artifactLocation", art);
    json_object_set_new(pl, "region", region);
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", pl);
    return loc;
}

static json_t *result_json(sgr_arena *a, const sgr_check_result *r, const sgr_violation *v)
{
    json_t *res = json_object();
    json_object_set_new(res, "ruleId", json_string(v->entry->name));
    json_object_set_new(res, "ruleIndex", json_integer(v->entry - r->policy->entries));
    json_object_set_new(res, "level", json_string(sgr_level_name(v->entry->level)));
    json_object_set_new(res, "message", text_obj(violation_message(a, v)));
    const char *file = v->loc_file ? v->loc_file : r->policy->file;
    uint32_t line = v->loc_file ? v->loc_line : v->entry->line;
    json_t *locs = json_array();
    json_t *loc = physical(a, file, line);
    if (v->loc_file && v->loc_tf_address) {
        /* a rule from a Terraform plan: its resource address and block too */
        json_t *ll = json_object();
        json_object_set_new(ll, "fullyQualifiedName", json_string(v->loc_tf_address));
        json_object_set_new(ll, "kind", json_string("resource"));
        json_t *lls = json_array();
        json_array_append_new(lls, ll);
        json_object_set_new(loc, "logicalLocations", lls);
    }
    json_array_append_new(locs, loc);
    json_object_set_new(res, "locations", locs);
    /* Every other rule on the path, so a reviewer sees the whole chain. */
    json_t *related = json_array();
    for (uint32_t k = 0; k < v->n_rules; k++) {
        const sgr_origin *o = &v->rules[k].origin;
        if (!o->file || (strcmp(o->file, file) == 0 && o->line == line))
            continue;
        json_t *rl = physical(a, o->file, o->line);
        json_object_set_new(rl, "id", json_integer(json_array_size(related) + 1));
        json_object_set_new(rl, "message", text_obj(sgr_arena_printf(a, "%s %s %s", v->rules[k].component ? v->rules[k].component : "",
                                                                     v->rules[k].direction ? v->rules[k].direction : "",
                                                                     v->rules[k].text ? v->rules[k].text : "")));
        json_array_append_new(related, rl);
    }
    if (json_array_size(related))
        json_object_set_new(res, "relatedLocations", related);
    else
        json_decref(related);
    json_t *fp = json_object();
    json_object_set_new(fp, "sgreachViolation/v1", json_string(v->fingerprint));
    json_object_set_new(res, "partialFingerprints", fp);
    if (r->baseline_file)
        json_object_set_new(res, "baselineState", json_string(v->baseline == SGR_BASELINE_KNOWN ? "unchanged" : "new"));
    if (v->waived) {
        json_t *sup = json_object();
        json_object_set_new(sup, "kind", json_string("external"));
        json_object_set_new(sup, "justification", json_string(v->waiver_reason));
        json_t *sups = json_array();
        json_array_append_new(sups, sup);
        json_object_set_new(res, "suppressions", sups);
    }
    json_t *props = json_object();
    json_object_set_new(props, "kind", json_string(sgr_policy_kind_name(v->entry->kind)));
    json_object_set_new(props, "from", json_string(v->from));
    json_object_set_new(props, "to", json_string(v->to));
    json_object_set_new(props, "protocol", json_string(v->protocol_name));
    json_object_set_new(props, "ports", json_string(v->ports));
    json_object_set_new(props, "verdict", json_string(v->verdict));
    json_object_set_new(props, "possible", json_boolean(v->possible));
    json_object_set_new(res, "properties", props);
    return res;
}

void sgr_check_write_sarif(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    json_t *rules = json_array();
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        json_t *rule = json_object();
        json_object_set_new(rule, "id", json_string(en->name));
        json_object_set_new(rule, "name", json_string(en->name));
        const char *what = sgr_arena_printf(a, "%s %s -> %s on %s", en->kind == SGR_POLICY_FORBID ? "Forbidden:" : "Required:",
                                            en->from, en->to, en->ports_text);
        json_object_set_new(rule, "shortDescription", text_obj(en->description ? en->description : what));
        json_object_set_new(rule, "fullDescription", text_obj(what));
        json_t *cfg = json_object();
        json_object_set_new(cfg, "level", json_string(sgr_level_name(en->level)));
        json_object_set_new(rule, "defaultConfiguration", cfg);
        json_t *props = json_object();
        json_object_set_new(props, "kind", json_string(sgr_policy_kind_name(en->kind)));
        json_object_set_new(props, "severity", json_string(en->severity));
        json_object_set_new(rule, "properties", props);
        json_array_append_new(rules, rule);
    }
    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string("sgreach"));
    json_object_set_new(driver, "version", json_string(SGREACH_VERSION));
    json_object_set_new(driver, "semanticVersion", json_string(SGREACH_VERSION));
    json_object_set_new(driver, "informationUri", json_string(SGR_INFO_URI));
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);
    json_t *results = json_array();
    for (uint32_t i = 0; i < r->n; i++)
        json_array_append_new(results, result_json(a, r, &r->v[i]));
    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    json_object_set_new(run, "results", results);
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(root, "version", json_string("2.1.0"));
    json_object_set_new(root, "runs", runs);
    json_dumpf(root, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(root);
}

/* ------------------------------------------------------------------ JUnit */

/* XML text and attribute escaping; characters XML 1.0 forbids become '?'. */
static void xml_put(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            fputc(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c, out);
        }
    }
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
    xml_put(out, p->file);
    fprintf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n", p->n_entries, failing_entries);
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        fprintf(out, "    <testcase classname=\"sgreach.%s\" name=\"", sgr_policy_kind_name(en->kind));
        xml_put(out, en->name);
        fputs("\"", out);
        uint32_t nf = 0, nv = 0, lo, hi;
        sgr_check_entry_span(r, e, &lo, &hi);
        for (uint32_t i = lo; i < hi; i++)
            if (r->v[i].entry == en) {
                nv++;
                nf += sgr_violation_fails(&r->v[i]);
            }
        if (!nv) {
            fputs("/>\n", out);
            continue;
        }
        fputs(">\n", out);
        if (nf) {
            fprintf(out, "      <failure type=\"%s\" message=\"", sgr_policy_kind_name(en->kind));
            xml_put(out, sgr_arena_printf(a, "%u violation%s of %s %s -> %s on %s", nf, nf == 1 ? "" : "s",
                                          sgr_policy_kind_name(en->kind), en->from, en->to, en->ports_text));
            fputs("\">", out);
            for (uint32_t i = lo; i < hi; i++)
                if (r->v[i].entry == en && sgr_violation_fails(&r->v[i])) {
                    xml_put(out, violation_message(a, &r->v[i]));
                    xml_put(out, sgr_arena_printf(a, " [%s]\n", r->v[i].loc_line ? sgr_arena_printf(a, "%s:%u", r->v[i].loc_file, r->v[i].loc_line)
                                                                                 : r->v[i].loc_file ? r->v[i].loc_file : p->file));
                }
            fputs("</failure>\n", out);
        }
        if (nv > nf) { /* accepted ones: waived or in the baseline */
            fputs("      <system-out>", out);
            for (uint32_t i = lo; i < hi; i++)
                if (r->v[i].entry == en && !sgr_violation_fails(&r->v[i])) {
                    xml_put(out, r->v[i].waived ? "waived: " : "known (baseline): ");
                    xml_put(out, violation_message(a, &r->v[i]));
                    fputc('\n', out);
                }
            fputs("</system-out>\n", out);
        }
        fputs("    </testcase>\n", out);
    }
    fputs("  </testsuite>\n</testsuites>\n", out);
}
