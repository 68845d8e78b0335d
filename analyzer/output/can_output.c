#include "output/can_output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "output/color.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"

sgr_verdict sgr_can_overall(const sgr_answer *answers, uint32_t n)
{
    sgr_verdict v = SGR_UNREACHABLE;
    for (uint32_t i = 0; i < n; i++) {
        if (answers[i].verdict == SGR_REACHABLE)
            return SGR_REACHABLE;
        if (answers[i].verdict == SGR_UNKNOWN)
            v = SGR_UNKNOWN;
    }
    return v;
}

static const char *proto_text(int32_t p, char *buf, size_t n)
{
    switch (p) {
    case SGR_PROTO_ALL: return "all";
    case SGR_PROTO_TCP: return "tcp";
    case SGR_PROTO_UDP: return "udp";
    case SGR_PROTO_ICMP: return "icmp";
    case SGR_PROTO_ICMPV6: return "icmpv6";
    default: snprintf(buf, n, "%d", p); return buf;
    }
}

static json_t *jport(int32_t port)
{
    return port >= 0 ? json_integer(port) : json_null();
}

/* can's origins: "location" is null when the file is unknown; the Terraform address when there is one. */
enum { CAN_ORIGIN = SGR_ORIGIN_NULL_LOCATION | SGR_ORIGIN_WITH_TF };

static json_t *json_pair(const sgr_answer *a)
{
    char pb[16];
    json_t *o = json_object();
    sgr_json_ends(o, a->from->id, a->from->name, a->to->id, a->to->name);
    json_object_set_new(o, "protocol", sgr_json_text(proto_text(a->protocol, pb, sizeof pb)));
    json_object_set_new(o, "port", jport(a->port));
    json_object_set_new(o, "verdict", sgr_json_text(sgr_verdict_name(a->verdict)));
    json_object_set_new(o, "path", sgr_json_hops(a->path, a->n_path, true));
    json_object_set_new(o, "allowed_by", sgr_json_rule_refs(a->allowed_by, a->n_allowed, "rule", CAN_ORIGIN));
    json_object_set_new(o, "blocked_by", sgr_json_blocks(a->blocked_by, a->n_blocked, true, CAN_ORIGIN));
    json_object_set_new(o, "assumptions", sgr_json_texts(a->assumptions, a->n_assumptions));
    json_object_set_new(o, "missing", sgr_json_texts(a->missing, a->n_missing));
    if (a->n_targets) { /* a load balancer asked for: the path through it to each registered target */
        json_t *targets = json_array();
        for (uint32_t i = 0; i < a->n_targets; i++)
            json_array_append_new(targets, json_pair(&a->targets[i]));
        json_object_set_new(o, "targets", targets);
    }
    return o;
}

void sgr_can_json(FILE *f, const sgr_answer *answers, uint32_t n, int32_t protocol, int32_t port, bool pretty,
                  const char *from_sel, const char *to_sel)
{
    char pb[16];
    json_t *root = json_object();
    if (from_sel) {
        json_object_set_new(root, "from", sgr_json_text(from_sel));
        json_object_set_new(root, "to", sgr_json_text(to_sel));
    }
    json_object_set_new(root, "verdict", sgr_json_text(sgr_verdict_name(sgr_can_overall(answers, n))));
    json_object_set_new(root, "protocol", sgr_json_text(proto_text(protocol, pb, sizeof pb)));
    json_object_set_new(root, "port", jport(port));
    json_t *pairs = json_array();
    for (uint32_t i = 0; i < n; i++)
        json_array_append_new(pairs, json_pair(&answers[i]));
    json_object_set_new(root, "pairs", pairs);
    /* --batch: one answer a line (JSON Lines), so no newline inside one */
    json_dumpf(root, f, pretty ? JSON_INDENT(2) : JSON_COMPACT);
    fputc('\n', f);
    json_decref(root);
}

void sgr_can_json_error(FILE *f, uint32_t line, const char *err)
{
    json_t *root = json_object();
    json_object_set_new(root, "line", json_integer(line));
    json_object_set_new(root, "error", sgr_json_text(err));
    json_dumpf(root, f, JSON_COMPACT);
    fputc('\n', f);
    json_decref(root);
}

/* ---------------------------------------------------------------- text */

static void origin_text(FILE *f, const sgr_origin *o)
{
    if (o->tf_address)
        fprintf(f, "  (%s)", o->tf_address);
    else if (o->file && o->line)
        fprintf(f, "  (%s:%u)", o->file, o->line);
    else if (o->file)
        fprintf(f, "  (%s)", o->file);
}

static const char *ep_text(const sgr_endpoint *e)
{
    return e->name && strcmp(e->name, e->id) != 0 ? e->name : e->id;
}

/* One answer's explanation, each line indented by ind; allowed: also the
 * rules that let it through (left out for the targets behind a load balancer). */
static void pair_text(FILE *f, const sgr_answer *a, const char *ind, bool allowed)
{
    if (a->n_path) {
        fprintf(f, "%spath: ", ind);
        for (uint32_t k = 0; k < a->n_path; k++) {
            /* "internet", not "internet internet": a hop that is its own kind says it once */
            if (strcmp(a->path[k].kind, a->path[k].id) == 0)
                fprintf(f, "%s%s", k ? " -> " : "", a->path[k].id);
            else
                fprintf(f, "%s%s %s", k ? " -> " : "", a->path[k].kind, a->path[k].id);
            if (a->path[k].detail)
                fprintf(f, " (%s)", a->path[k].detail);
        }
        fputc('\n', f);
    }
    if (allowed && a->n_allowed) {
        fprintf(f, "%s%s", ind, a->verdict == SGR_REACHABLE ? "allowed by:\n" : "allowed so far by:\n");
        for (uint32_t k = 0; k < a->n_allowed; k++) {
            const sgr_rule_ref *r = &a->allowed_by[k];
            fprintf(f, "%s  %s %s: %s", ind, r->component, r->direction ? r->direction : "", r->text);
            origin_text(f, &r->origin);
            fputc('\n', f);
        }
    }
    if (a->n_blocked) {
        fprintf(f, "%sblocked by (%u; each must change):\n", ind, a->n_blocked);
        for (uint32_t k = 0; k < a->n_blocked; k++) {
            const sgr_block *b = &a->blocked_by[k];
            fprintf(f, "%s  %s %s: %s", ind, b->component, b->direction ? b->direction : "", b->reason);
            origin_text(f, &b->origin);
            fputc('\n', f);
        }
    }
    for (uint32_t k = 0; k < a->n_missing; k++)
        fprintf(f, "%smissing: %s\n", ind, a->missing[k]);
    for (uint32_t k = 0; k < a->n_assumptions; k++)
        fprintf(f, "%sassumes: %s\n", ind, a->assumptions[k]);
}

static const char *VERDICT_WORD[] = {"REACHABLE", "UNREACHABLE", "UNKNOWN"};

void sgr_can_text(FILE *f, const sgr_answer *answers, uint32_t n, int32_t protocol, int32_t port, bool color)
{
    char pb[16];
    char what[48];
    if (port >= 0)
        snprintf(what, sizeof what, "%s/%d", proto_text(protocol, pb, sizeof pb), port);
    else
        snprintf(what, sizeof what, "%s (any port)", proto_text(protocol, pb, sizeof pb));
    sgr_verdict all = sgr_can_overall(answers, n);
    uint32_t count[3] = {0, 0, 0};
    for (uint32_t i = 0; i < n; i++)
        count[answers[i].verdict]++;
    static const char *const HUE[] = {SGR_ANSI_RED, SGR_ANSI_GREEN, SGR_ANSI_YELLOW}; /* reachable is the alarm */
    fputs(sgr_ansi(color, HUE[all]), f);
    fputs(VERDICT_WORD[all], f);
    fputs(sgr_ansi(color, SGR_ANSI_RESET), f);
    if (n == 1)
        fprintf(f, ": %s can%s reach %s on %s\n", ep_text(answers[0].from),
                all == SGR_REACHABLE ? "" : all == SGR_UNKNOWN ? " perhaps" : "not", ep_text(answers[0].to), what);
    else
        fprintf(f, " on %s: %u of %u pairs reachable, %u unreachable, %u unknown\n", what,
                count[SGR_REACHABLE], n, count[SGR_UNREACHABLE], count[SGR_UNKNOWN]);
    for (uint32_t i = 0; i < n; i++) {
        const sgr_answer *a = &answers[i];
        fprintf(f, "\n%s -> %s: %s\n", ep_text(a->from), ep_text(a->to), sgr_verdict_name(a->verdict));
        pair_text(f, a, "  ", true);
        if (a->n_targets)
            fprintf(f, "  behind %s, each registered target:\n", ep_text(a->to));
        for (uint32_t k = 0; k < a->n_targets; k++) {
            const sgr_answer *t = &a->targets[k];
            fprintf(f, "    -> %s port %d: %s\n", ep_text(t->to), t->port, sgr_verdict_name(t->verdict));
            pair_text(f, t, "       ", false);
        }
    }
}
