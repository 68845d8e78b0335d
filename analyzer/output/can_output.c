#include "output/can_output.h"

#include <string.h>

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

static void jstr(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
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

/* The rule's origin: file, line and "file:line" (null when unknown). */
static void jorigin(FILE *f, const sgr_origin *o)
{
    fputs(", \"file\": ", f);
    jstr(f, o->file);
    fprintf(f, ", \"line\": %u, \"location\": ", o->line);
    if (!o->file) {
        fputs("null", f);
    } else {
        /* the escaped file name, then the line, inside one string */
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)o->file; *p; p++) {
            if (*p == '"' || *p == '\\')
                fprintf(f, "\\%c", *p);
            else if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
        if (o->line)
            fprintf(f, ":%u", o->line);
        fputc('"', f);
    }
    if (o->tf_address) {
        fputs(", \"tf_address\": ", f);
        jstr(f, o->tf_address);
    }
}

static void jstrs(FILE *f, const char *const *v, uint32_t n)
{
    fputc('[', f);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        jstr(f, v[i]);
    }
    fputc(']', f);
}

static void json_pair(FILE *f, const sgr_answer *a, const char *ind)
{
    char pb[16];
    fprintf(f, "{%s\"from\": ", ind);
    jstr(f, a->from->id);
    fprintf(f, ",%s\"from_name\": ", ind);
    jstr(f, a->from->name);
    fprintf(f, ",%s\"to\": ", ind);
    jstr(f, a->to->id);
    fprintf(f, ",%s\"to_name\": ", ind);
    jstr(f, a->to->name);
    fprintf(f, ",%s\"protocol\": ", ind);
    jstr(f, proto_text(a->protocol, pb, sizeof pb));
    fprintf(f, ",%s\"port\": ", ind);
    if (a->port >= 0)
        fprintf(f, "%d", a->port);
    else
        fputs("null", f);
    fprintf(f, ",%s\"verdict\": ", ind);
    jstr(f, sgr_verdict_name(a->verdict));
    fprintf(f, ",%s\"path\": [", ind);
    for (uint32_t i = 0; i < a->n_path; i++) {
        fputs(i ? ", {\"kind\": " : "{\"kind\": ", f);
        jstr(f, a->path[i].kind);
        fputs(", \"id\": ", f);
        jstr(f, a->path[i].id);
        if (a->path[i].detail) {
            fputs(", \"detail\": ", f);
            jstr(f, a->path[i].detail);
        }
        fputc('}', f);
    }
    fprintf(f, "],%s\"allowed_by\": [", ind);
    for (uint32_t i = 0; i < a->n_allowed; i++) {
        const sgr_rule_ref *r = &a->allowed_by[i];
        fputs(i ? ", {\"component\": " : "{\"component\": ", f);
        jstr(f, r->component);
        fputs(", \"direction\": ", f);
        jstr(f, r->direction);
        fputs(", \"rule\": ", f);
        jstr(f, r->text);
        jorigin(f, &r->origin);
        fputc('}', f);
    }
    fprintf(f, "],%s\"blocked_by\": [", ind);
    for (uint32_t i = 0; i < a->n_blocked; i++) {
        const sgr_block *b = &a->blocked_by[i];
        fputs(i ? ", {\"component\": " : "{\"component\": ", f);
        jstr(f, b->component);
        fputs(", \"direction\": ", f);
        jstr(f, b->direction);
        fputs(", \"reason\": ", f);
        jstr(f, b->reason);
        jorigin(f, &b->origin);
        fputc('}', f);
    }
    fprintf(f, "],%s\"assumptions\": ", ind);
    jstrs(f, a->assumptions, a->n_assumptions);
    fprintf(f, ",%s\"missing\": ", ind);
    jstrs(f, a->missing, a->n_missing);
    if (a->n_targets) {
        /* a load balancer asked for: the path through it to each registered target */
        fprintf(f, ",%s\"targets\": [", ind);
        for (uint32_t i = 0; i < a->n_targets; i++) {
            fputs(i ? ", " : "", f);
            json_pair(f, &a->targets[i], " ");
        }
        fputc(']', f);
    }
    fputs(strcmp(ind, " ") == 0 ? "}" : "\n    }", f);
}

void sgr_can_json(FILE *f, const sgr_answer *answers, uint32_t n, int32_t protocol, int32_t port, bool pretty,
                  const char *from_sel, const char *to_sel)
{
    char pb[16];
    const char *nl = pretty ? "\n  " : " ";
    fputc('{', f);
    if (from_sel) {
        fprintf(f, "%s\"from\": ", nl);
        jstr(f, from_sel);
        fprintf(f, ",%s\"to\": ", nl);
        jstr(f, to_sel);
        fputc(',', f);
    }
    fprintf(f, "%s\"verdict\": ", nl);
    jstr(f, sgr_verdict_name(sgr_can_overall(answers, n)));
    fprintf(f, ",%s\"protocol\": ", nl);
    jstr(f, proto_text(protocol, pb, sizeof pb));
    fprintf(f, ",%s\"port\": ", nl);
    if (port >= 0)
        fprintf(f, "%d", port);
    else
        fputs("null", f);
    fprintf(f, ",%s\"pairs\": [", nl);
    for (uint32_t i = 0; i < n; i++) {
        fputs(i ? "," : "", f);
        fputs(pretty ? "\n    " : " ", f);
        json_pair(f, &answers[i], pretty ? "\n      " : " ");
    }
    fputs(pretty ? (n ? "\n  ]\n}\n" : "]\n}\n") : " ]}\n", f);
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

void sgr_can_text(FILE *f, const sgr_answer *answers, uint32_t n, int32_t protocol, int32_t port)
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
    if (n == 1)
        fprintf(f, "%s: %s can%s reach %s on %s\n", VERDICT_WORD[all], ep_text(answers[0].from),
                all == SGR_REACHABLE ? "" : all == SGR_UNKNOWN ? " perhaps" : "not", ep_text(answers[0].to), what);
    else
        fprintf(f, "%s on %s: %u of %u pairs reachable, %u unreachable, %u unknown\n", VERDICT_WORD[all], what,
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
