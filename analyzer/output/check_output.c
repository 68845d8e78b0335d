/* `check` results written as text and JSON. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "output/color.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"

static uint32_t failing_violations(const sgr_check_result *r)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->n; i++)
        n += sgr_violation_fails(&r->v[i]);
    return n;
}

static uint32_t failing_findings(const sgr_check_result *r)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->n_findings; i++)
        n += sgr_check_finding_fails(r, &r->findings[i]);
    return n;
}

/* ------------------------------------------------------------------ text */

/* " [waived: REASON]", " [known: in the baseline]", " [new]" or "": how the
 * gate took a violation or a finding. */
static const char *acceptance_text(sgr_arena *a, bool waived, const char *reason, sgr_baseline_state baseline)
{
    if (waived)
        return sgr_arena_printf(a, " [waived: %s]", reason);
    if (baseline == SGR_BASELINE_KNOWN)
        return " [known: in the baseline]";
    if (baseline == SGR_BASELINE_NEW)
        return " [new]";
    return "";
}

static void write_findings_text(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    fprintf(out, "\nfindings:\n");
    if (!r->n_findings)
        fprintf(out, "  none\n");
    for (uint32_t i = 0; i < r->n_findings; i++) {
        const sgr_check_finding *cf = &r->findings[i];
        const sgr_finding *f = cf->f;
        const char *hue = f->severity <= SGR_FSEV_HIGH ? SGR_ANSI_RED : f->severity == SGR_FSEV_MEDIUM ? SGR_ANSI_YELLOW : "";
        bool fails = sgr_check_finding_fails(r, cf);
        fprintf(out, "%s%s%s  %s%-8s%s %s: %s%s\n", sgr_ansi(r->color && fails, SGR_ANSI_RED), fails ? "FAIL" : "    ",
                sgr_ansi(r->color && fails, SGR_ANSI_RESET), sgr_ansi(r->color, hue), sgr_fsev_name(f->severity),
                sgr_ansi(r->color && *hue, SGR_ANSI_RESET), f->id, f->title,
                acceptance_text(a, cf->waived, cf->waiver_reason, cf->baseline));
        if (cf->waiver_expired)
            fprintf(out, "    waiver expired on %s\n", cf->waiver_expired);
        for (uint32_t k = 0; k < f->n_rules; k++)
            fprintf(out, "    rule: %s %s  %s\n", f->rules[k].component ? f->rules[k].component : "",
                    f->rules[k].text ? f->rules[k].text : "", sgr_origin_text(a, &f->rules[k].origin));
        if (f->fix)
            fprintf(out, "    fix: %s\n", f->fix);
    }
}

void sgr_check_write_text(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    uint32_t failing_entries = 0, waived = 0, known = 0;
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        uint32_t nv, nf, lo, hi;
        sgr_check_entry_tally(r, e, &lo, &hi, &nv, &nf);
        failing_entries += nf > 0;
        fprintf(out, "%s%s%s  %s %s [%s]: %s -> %s on %s\n",
                sgr_ansi(r->color, nf ? SGR_ANSI_RED : nv ? SGR_ANSI_YELLOW : SGR_ANSI_GREEN), nf ? "FAIL" : nv ? "OK* " : "PASS",
                sgr_ansi(r->color, SGR_ANSI_RESET), sgr_policy_kind_name(en->kind), en->name, en->severity, en->from, en->to,
                en->ports_text);
        for (uint32_t i = lo; i < hi; i++) {
            const sgr_violation *v = &r->v[i];
            if (v->entry != en)
                continue;
            waived += v->waived;
            known += !v->waived && v->baseline == SGR_BASELINE_KNOWN;
            fprintf(out, "  %s -> %s  %s  %s%s%s\n", sgr_name_label(a, v->from, v->from_name),
                    sgr_name_label(a, v->to, v->to_name), sgr_ports_label(a, v->protocol, v->protocol_name, v->ports, "all"), v->verdict,
                    v->possible ? " (possible violation: the data is incomplete)" : "",
                    acceptance_text(a, v->waived, v->waiver_reason, v->baseline));
            if (v->waiver_expired)
                fprintf(out, "    waiver expired on %s\n", v->waiver_expired);
            if (v->n_pairs > 1 || (v->n_pairs == 1 && strcmp(v->pairs[0].from, v->from) != 0))
                for (uint32_t k = 0; k < v->n_pairs; k++)
                    fprintf(out, "    pair: %s -> %s  %s\n", sgr_name_label(a, v->pairs[k].from, v->pairs[k].from_name),
                            sgr_name_label(a, v->pairs[k].to, v->pairs[k].to_name), v->pairs[k].verdict);
            if (v->n_path) {
                fprintf(out, "    path:");
                for (uint32_t k = 0; k < v->n_path; k++)
                    fprintf(out, "%s %s %s", k ? " ->" : "", v->path[k].kind, v->path[k].id ? v->path[k].id : "");
                fprintf(out, "\n");
            }
            sgr_write_rule_lines(out, a, v->rules, v->n_rules, v->blocks, v->n_blocks);
            for (uint32_t k = 0; k < v->n_missing; k++)
                fprintf(out, "    missing: %s\n", v->missing[k]);
        }
    }
    if (r->with_findings)
        write_findings_text(out, r, a);
    bool failed = sgr_check_failures(r) != 0;
    const char *verdict = sgr_arena_printf(a, "%s%s%s", sgr_ansi(r->color, failed ? SGR_ANSI_RED : SGR_ANSI_GREEN),
                                           failed ? "FAIL" : "PASS", sgr_ansi(r->color, SGR_ANSI_RESET));
    if (p->file)
        fprintf(out, "\n%s: %u entries, %u failing; %u violations (%u failing, %u known in the baseline, %u waived)\n", verdict,
                p->n_entries, failing_entries, r->n, failing_violations(r), known, waived);
    if (r->with_findings) {
        uint32_t fw = 0, fk = 0;
        for (uint32_t i = 0; i < r->n_findings; i++) {
            fw += r->findings[i].waived;
            fk += !r->findings[i].waived && r->findings[i].baseline == SGR_BASELINE_KNOWN;
        }
        fprintf(out, "%s%u findings (%u failing%s%s, %u known in the baseline, %u waived)\n",
                p->file ? "" : sgr_arena_printf(a, "\n%s: ", verdict), r->n_findings, failing_findings(r),
                r->fail_on == SGR_FAIL_ON_NONE ? ": no --fail-on" : " at --fail-on ",
                r->fail_on == SGR_FAIL_ON_NONE ? "" : sgr_fsev_name((sgr_fsev)r->fail_on), fk, fw);
    }
}

/* check's origins carry their JSON path and Terraform address too (docs/policy.md). */
enum { CHECK_ORIGIN = SGR_ORIGIN_WITH_PATH | SGR_ORIGIN_WITH_TF };

static json_t *violation_json(sgr_arena *a, const sgr_violation *v)
{
    json_t *o = json_object();
    const sgr_policy_entry *e = v->entry;
    json_object_set_new(o, "entry", sgr_json_text(e->name));
    json_object_set_new(o, "kind", sgr_json_text(sgr_policy_kind_name(e->kind)));
    json_object_set_new(o, "severity", sgr_json_text(e->severity));
    json_object_set_new(o, "level", sgr_json_text(sgr_level_name(e->level)));
    sgr_json_ends(o, v->from, v->from_name, v->to, v->to_name);
    json_object_set_new(o, "protocol", sgr_json_text(v->protocol_name));
    json_object_set_new(o, "ports", sgr_json_text(v->ports));
    json_object_set_new(o, "verdict", sgr_json_text(v->verdict));
    json_object_set_new(o, "possible", json_boolean(v->possible));
    json_t *pairs = json_array();
    for (uint32_t k = 0; k < v->n_pairs; k++) {
        const sgr_check_pair *cp = &v->pairs[k];
        json_t *p = json_object();
        sgr_json_ends(p, cp->from, cp->from_name, cp->to, cp->to_name);
        json_object_set_new(p, "verdict", sgr_json_text(cp->verdict));
        json_array_append_new(pairs, p);
    }
    json_object_set_new(o, "pairs", pairs);
    json_object_set_new(o, "path", sgr_json_hops(v->path, v->n_path, true));
    json_object_set_new(o, "allowed_by", sgr_json_rule_refs(v->rules, v->n_rules, "text", CHECK_ORIGIN));
    json_object_set_new(o, "blocked_by", sgr_json_blocks(v->blocks, v->n_blocks, false, CHECK_ORIGIN));
    json_object_set_new(o, "missing", sgr_json_texts(v->missing, v->n_missing));
    json_object_set_new(o, "location", sgr_json_text(v->loc_line ? sgr_arena_printf(a, "%s:%u", v->loc_file, v->loc_line)
                                                               : (v->loc_file ? v->loc_file : "")));
    json_object_set_new(o, "waived", json_boolean(v->waived));
    json_object_set_new(o, "waiver_reason", sgr_json_text(v->waiver_reason));
    if (v->waiver_expired)
        json_object_set_new(o, "waiver_expired", sgr_json_text(v->waiver_expired));
    json_object_set_new(o, "baseline", sgr_json_text(v->baseline == SGR_BASELINE_KNOWN ? "known" : "new"));
    json_object_set_new(o, "fails", json_boolean(sgr_violation_fails(v)));
    json_object_set_new(o, "fingerprint", sgr_json_text(v->fingerprint));
    return o;
}

/* A finding as `check --format json` writes it; the baseline reads back "check" and "id". */
static json_t *finding_json(sgr_arena *a, const sgr_check_result *r, const sgr_check_finding *cf)
{
    const sgr_finding *f = cf->f;
    json_t *o = sgr_json_finding(f);
    json_t *rules = json_array();
    for (uint32_t k = 0; k < f->n_rules; k++) {
        json_t *ru = json_object();
        json_object_set_new(ru, "component", sgr_json_text(f->rules[k].component));
        json_object_set_new(ru, "text", sgr_json_text(f->rules[k].text));
        json_object_set_new(ru, "origin", sgr_json_text(f->rules[k].origin.file ? sgr_origin_text(a, &f->rules[k].origin) : NULL));
        json_array_append_new(rules, ru);
    }
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "fix", sgr_json_text(f->fix));
    json_object_set_new(o, "fails", json_boolean(sgr_check_finding_fails(r, cf)));
    json_object_set_new(o, "waived", json_boolean(cf->waived));
    json_object_set_new(o, "waiver_reason", sgr_json_text(cf->waiver_reason));
    json_object_set_new(o, "waiver_expired", sgr_json_text(cf->waiver_expired));
    json_object_set_new(o, "baseline", cf->baseline == SGR_BASELINE_NONE ? json_null()
                                       : sgr_json_text(cf->baseline == SGR_BASELINE_KNOWN ? "known" : "new"));
    json_object_set_new(o, "fingerprint", sgr_json_text(cf->fingerprint));
    return o;
}

void sgr_check_write_json(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    json_t *root = json_object();
    uint32_t fails = sgr_check_failures(r), waived = 0, known = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        waived += r->v[i].waived;
        known += !r->v[i].waived && r->v[i].baseline == SGR_BASELINE_KNOWN;
    }
    json_object_set_new(root, "policy", sgr_json_text(p->file));
    json_object_set_new(root, "result", sgr_json_text(fails ? "fail" : "pass"));
    json_object_set_new(root, "today", sgr_json_text(p->today));
    json_object_set_new(root, "allow_unknown", json_boolean(r->allow_unknown));
    json_object_set_new(root, "baseline", sgr_json_text(r->baseline_file));
    json_t *sum = json_object();
    json_object_set_new(sum, "entries", json_integer(p->n_entries));
    json_object_set_new(sum, "violations", json_integer(r->n));
    json_object_set_new(sum, "failing", json_integer(fails));
    json_object_set_new(sum, "known", json_integer(known));
    json_object_set_new(sum, "waived", json_integer(waived));
    json_object_set_new(root, "summary", sum);
    json_t *entries = json_array();
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        uint32_t nv, nf, lo, hi;
        sgr_check_entry_tally(r, e, &lo, &hi, &nv, &nf);
        json_t *o = json_object();
        json_object_set_new(o, "name", sgr_json_text(en->name));
        json_object_set_new(o, "kind", sgr_json_text(sgr_policy_kind_name(en->kind)));
        json_object_set_new(o, "from", sgr_json_text(en->from));
        json_object_set_new(o, "to", sgr_json_text(en->to));
        json_object_set_new(o, "ports", sgr_json_text(en->ports_text));
        json_object_set_new(o, "severity", sgr_json_text(en->severity));
        json_object_set_new(o, "status", sgr_json_text(nf ? "fail" : "pass"));
        json_object_set_new(o, "violations", json_integer(nv));
        json_object_set_new(o, "failing", json_integer(nf));
        json_array_append_new(entries, o);
    }
    json_object_set_new(root, "entries", entries);
    json_t *vs = json_array();
    for (uint32_t i = 0; i < r->n; i++)
        json_array_append_new(vs, violation_json(a, &r->v[i]));
    json_object_set_new(root, "violations", vs);
    if (r->with_findings) {
        json_t *fs = json_array();
        for (uint32_t i = 0; i < r->n_findings; i++)
            json_array_append_new(fs, finding_json(a, r, &r->findings[i]));
        json_object_set_new(root, "findings", fs);
        json_object_set_new(root, "fail_on", r->fail_on == SGR_FAIL_ON_NONE ? json_null() : sgr_json_text(sgr_fsev_name((sgr_fsev)r->fail_on)));
    }
    sgr_json_print(out, root);
}
