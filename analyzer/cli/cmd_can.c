/*
 * `sgreach can --from SEL --to SEL [--port P] [--proto tcp|udp|icmp|all]`:
 * the verdict for every pair the selectors match, the path and the rules
 * (docs/semantics.md). `--batch FILE`: one `FROM TO PROTO PORT` question a
 * line, one JSON answer a line, one load and one graph for all of them.
 * Exit: 0 reachable, 1 unreachable, 3 unknown, 2 usage or input error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "graph/portset.h"
#include "output/can_output.h"
#include "queries/endpoint_key.h"
#include "cli/commands.h"
#include "cli/diag_print.h"
#include "cli/open.h"
#include "cli/reach_cli.h"
#include "graph/arena.h"
#include "graph/strmap.h"
#include "sgreach/exit.h"
#include "sgreach/query.h"
#include "sgreach/selector.h"
#include "sgreach/snapshot.h"

/* "tcp", "udp", "icmp", "icmpv6", "all", or a number 0-255 (-1 = all). */
static bool parse_proto(const char *s, int32_t *out)
{
    *out = s ? sgr_proto_parse(s, strlen(s)) : SGR_PROTO_TCP;
    return *out != -2;
}

/* A port 0-65535 (an ICMP type 0-255); NULL, "any" or "-" = any port (-1). */
static bool parse_port(const char *s, int32_t proto, int32_t *out)
{
    *out = -1;
    if (!s || strcmp(s, "any") == 0 || strcmp(s, "-") == 0)
        return true;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    long max = proto == SGR_PROTO_ICMP || proto == SGR_PROTO_ICMPV6 ? 255 : 65535;
    if (end == s || *end || errno || v < 0 || v > max)
        return false;
    *out = (int32_t)v;
    return true;
}

/* What a port may be for the protocol, for the error that refuses one. */
static const char *port_range_text(int32_t proto)
{
    return proto == SGR_PROTO_ICMP || proto == SGR_PROTO_ICMPV6
               ? "for ICMP the port is the ICMP type, 0-255 (8 is echo request), or any"
               : "a number from 0 to 65535, or any";
}

typedef struct ep_list {
    const sgr_endpoint **v;
    uint32_t n;
    const sgr_ip *addr; /* the address the selector names literally, or NULL */
} ep_list;

/* The address a selector names literally ("10.0.1.5", "54.1.2.3"), or NULL. */
static const sgr_ip *literal_ip(sgr_arena *a, const char *text)
{
    sgr_ip *ip = SGR_NEW(a, sgr_ip);
    if (inet_pton(AF_INET, text, ip->b) == 1)
        ip->family = SGR_AF_INET;
    else if (inet_pton(AF_INET6, text, ip->b) == 1)
        ip->family = SGR_AF_INET6;
    else
        return NULL;
    return ip;
}

/* A batch's fast path for the commonest exact forms (`task:ID`, a task ARN,
 * `eni-…`): a hash lookup instead of the selector's scan of the snapshot, with
 * the selector's own meaning (an interface stands for its task or LB). Any
 * other form, or an id not found, goes through the selector. */
typedef struct task_list {
    const sgr_task **v;
    uint32_t n, cap;
} task_list;

static sgr_strmap *task_index(const sgr_snapshot *snap, sgr_arena *a)
{
    sgr_strmap *m = sgr_strmap_new(a);
    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        const sgr_task *t = snap->tasks[i];
        const char *keys[2] = {t->id, t->arn};
        for (int k = 0; k < 2; k++) {
            if (!keys[k] || (k == 1 && t->id && strcmp(t->id, t->arn) == 0))
                continue;
            task_list *l = sgr_strmap_get(m, 0, keys[k]);
            if (!l) {
                l = SGR_NEW(a, task_list);
                sgr_strmap_put(m, 0, keys[k], l);
            }
            if (l->n == l->cap)
                l->v = sgr_arena_grow(a, l->v, &l->cap, l->n + 1, sizeof *l->v);
            l->v[l->n++] = t;
        }
    }
    return m;
}

static bool fast_select(sgr_graph *g, const sgr_snapshot *snap, const sgr_strmap *tasks, sgr_arena *a, const char *text,
                        ep_list *out)
{
    memset(out, 0, sizeof *out);
    const task_list *tl = NULL;
    if (tasks && strncmp(text, "task:", 5) == 0)
        tl = sgr_strmap_get(tasks, 0, text + 5);
    else if (tasks && strncmp(text, "arn:", 4) == 0 && strstr(text, ":task/"))
        tl = sgr_strmap_get(tasks, 0, text);
    if (tl) {
        out->v = SGR_NEW_N(a, const sgr_endpoint *, tl->n);
        for (uint32_t i = 0; i < tl->n; i++) {
            const sgr_endpoint *e = sgr_graph_endpoint_for(g, SGR_EP_TASK, tl->v[i]);
            if (e)
                out->v[out->n++] = e;
        }
    } else if (strncmp(text, "eni-", 4) == 0) {
        const sgr_eni *eni = sgr_snapshot_find(snap, SGR_KIND_ENI, text);
        const sgr_endpoint *e = eni ? sgr_graph_endpoint_for(g, SGR_EP_ENI, eni) : NULL;
        if (e) {
            out->v = SGR_NEW(a, const sgr_endpoint *);
            out->v[out->n++] = e;
        }
    }
    out->n = sgr_endpoints_sort_unique(out->v, out->n);
    return out->n != 0;
}

/* The endpoints a selector names, sorted by id, without duplicates. Returns
 * 0 on success, else writes the error to *err. */
static int select_endpoints(sgr_graph *g, const sgr_snapshot *snap, sgr_arena *a, const char *text, ep_list *out,
                            const char **err)
{
    memset(out, 0, sizeof *out);
    const char *perr = NULL;
    sgr_selector *s = sgr_selector_parse(a, text, &perr);
    if (!s) {
        *err = sgr_arena_printf(a, "selector '%s': %s", text, perr ? perr : "invalid");
        return -1;
    }
    sgr_selection sel;
    const char *suggest = NULL;
    uint32_t n = sgr_selector_resolve(s, snap, a, &sel, &suggest);
    sgr_selector_free(s);
    if (n == 0) {
        *err = sgr_arena_printf(a, "selector '%s' matches nothing%s%s", text, suggest ? "; " : "", suggest ? suggest : "");
        return -1;
    }
    n = sgr_policy_endpoints(g, &sel, a, &out->v);
    /* `can` asks for every public address of an aws:SERVICE (selector.h):
     * its endpoint takes the internet's place, which the selection puts first */
    if (sel.internet && sel.aws_service)
        out->v[0] = sgr_graph_aws_public_endpoint(g, sel.aws_service);
    out->n = sgr_endpoints_sort_unique(out->v, n);
    if (out->n == 0) {
        *err = sgr_arena_printf(a, "selector '%s' names nothing with a network endpoint (stopped tasks?)", text);
        return -1;
    }
    out->addr = literal_ip(a, text);
    return 0;
}

/* Every pair from × to (an endpoint never with itself). */
static uint32_t answer_pairs(sgr_graph *g, const ep_list *from, const ep_list *to, int32_t proto, int32_t port,
                             sgr_arena *a, sgr_answer **out)
{
    sgr_answer *v = SGR_NEW_N(a, sgr_answer, (size_t)from->n * to->n + 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < from->n; i++)
        for (uint32_t k = 0; k < to->n; k++) {
            if (from->v[i] == to->v[k])
                continue;
            sgr_query q = {from->v[i], to->v[k], proto, port};
            sgr_answer *ans = &v[n++];
            sgr_can_at(g, &q, from->addr, to->addr, ans, a);
            if (q.to->kind == SGR_EP_LB) { /* and the path through it to each target */
                sgr_answer *targets;
                ans->n_targets = sgr_can_lb_targets(g, &q, from->addr, &targets, a);
                ans->targets = targets;
            }
        }
    *out = v;
    return n;
}

/* Why from × to holds no pair (both name one and the same endpoint: it is
 * never asked about itself), for an input error; NULL when there are pairs. */
static const char *no_pair_why(sgr_arena *a, const ep_list *from, const ep_list *to, const char *ftext,
                               const char *ttext, uint32_t n_pairs)
{
    if (n_pairs || !from->n || !to->n)
        return NULL;
    const sgr_endpoint *e = from->v[0];
    return sgr_arena_printf(a, "'%s' and '%s' both select only %s%s%s%s: no pair of two endpoints to ask about "
                               "(an endpoint is not asked whether it reaches itself)", ftext, ttext, e->id,
                            e->name && strcmp(e->name, e->id) ? " (" : "", e->name && strcmp(e->name, e->id) ? e->name : "",
                            e->name && strcmp(e->name, e->id) ? ")" : "");
}

static int exit_for(sgr_verdict v)
{
    return v == SGR_REACHABLE ? SGR_EXIT_YES : v == SGR_UNKNOWN ? SGR_EXIT_UNKNOWN : SGR_EXIT_NO;
}

/* One question of a batch, answered as one JSON line. Returns false on an input error. */
static bool batch_line(sgr_graph *g, const sgr_snapshot *snap, const sgr_strmap *tasks, char *line, uint32_t lineno,
                       FILE *out)
{
    sgr_arena *a = sgr_arena_new();
    char *save = NULL;
    const char *f = strtok_r(line, " \t\r\n", &save);
    const char *t = strtok_r(NULL, " \t\r\n", &save);
    const char *p = strtok_r(NULL, " \t\r\n", &save);
    const char *port_s = strtok_r(NULL, " \t\r\n", &save);
    const char *extra = strtok_r(NULL, " \t\r\n", &save);
    const char *err = NULL;
    int32_t proto, port;
    ep_list from, to;
    if (!f || !t || extra)
        err = "expected FROM TO [PROTO [PORT]]";
    else if (!parse_proto(p, &proto))
        err = sgr_arena_printf(a, "bad protocol '%s' (tcp, udp, icmp, icmpv6, all or a number)", p);
    else if (!parse_port(port_s, proto, &port))
        err = sgr_arena_printf(a, "bad port '%s' (%s)", port_s, port_range_text(proto));
    else if (fast_select(g, snap, tasks, a, f, &from) || select_endpoints(g, snap, a, f, &from, &err) == 0) {
        if (!fast_select(g, snap, tasks, a, t, &to))
            select_endpoints(g, snap, a, t, &to, &err);
    }
    sgr_answer *answers = NULL;
    uint32_t n = 0;
    if (!err) {
        n = answer_pairs(g, &from, &to, proto, port, a, &answers);
        err = no_pair_why(a, &from, &to, f, t, n);
    }
    if (err) {
        sgr_can_json_error(out, lineno, err);
        sgr_arena_free(a);
        return false;
    }
    sgr_can_json(out, answers, n, proto, port, false, f, t);
    sgr_arena_free(a);
    return true;
}

static int run_batch(sgr_graph *g, const sgr_snapshot *snap, const char *path, FILE *out)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        sgr_eprintf("sgreach: %s: %s", path, strerror(errno));
        return SGR_EXIT_USAGE;
    }
    char *line = NULL;
    size_t cap = 0;
    uint32_t lineno = 0;
    sgr_arena *ta = sgr_arena_new();
    const sgr_strmap *tasks = task_index(snap, ta);
    bool ok = true;
    while (getline(&line, &cap, in) >= 0) {
        lineno++;
        const char *c = line;
        while (*c == ' ' || *c == '\t')
            c++;
        if (*c == '#' || *c == '\n' || *c == '\r' || *c == '\0')
            continue;
        if (!batch_line(g, snap, tasks, line, lineno, out)) {
            sgr_eprintf("sgreach: %s:%u: invalid question", path, lineno);
            ok = false;
        }
    }
    free(line);
    sgr_arena_free(ta);
    if (in != stdin)
        fclose(in);
    return ok ? SGR_EXIT_YES : SGR_EXIT_USAGE;
}

int sgr_cmd_can(const sgr_cli *cli, FILE *out)
{
    if (!cli->batch && (!cli->from || !cli->to)) {
        sgr_eprintf("sgreach: can: needs --from SEL and --to SEL (or --batch FILE)");
        return SGR_EXIT_USAGE;
    }
    int32_t proto, port;
    if (!parse_proto(cli->proto, &proto)) {
        sgr_eprintf("sgreach: can: bad --proto '%s' (tcp, udp, icmp, icmpv6, all or a number)", cli->proto);
        return SGR_EXIT_USAGE;
    }
    if (!parse_port(cli->port, proto, &port)) {
        sgr_eprintf("sgreach: can: bad --port '%s' (%s)", cli->port, port_range_text(proto));
        return SGR_EXIT_USAGE;
    }
    sgr_reach_env env;
    int rc = sgr_reach_env_open(cli, &env);
    if (rc)
        return rc;
    sgr_graph *g = env.g;
    sgr_snapshot *snap = env.snap;
    sgr_arena *a = env.a;
    if (cli->batch) {
        rc = run_batch(g, snap, cli->batch, out);
    } else {
        ep_list from, to;
        const char *err = NULL;
        if (select_endpoints(g, snap, a, cli->from, &from, &err) != 0 ||
            select_endpoints(g, snap, a, cli->to, &to, &err) != 0) {
            sgr_eprintf("sgreach: can: %s", err);
            rc = SGR_EXIT_USAGE;
        } else {
            sgr_answer *answers;
            uint32_t n = answer_pairs(g, &from, &to, proto, port, a, &answers);
            if ((err = no_pair_why(a, &from, &to, cli->from, cli->to, n))) {
                sgr_eprintf("sgreach: can: %s", err);
                sgr_reach_env_free(&env);
                return SGR_EXIT_USAGE;
            }
            if (strcmp(sgr_cli_format(cli), "json") == 0)
                sgr_can_json(out, answers, n, proto, port, true, NULL, NULL);
            else
                sgr_can_text(out, answers, n, proto, port, cli->color);
            rc = exit_for(sgr_can_overall(answers, n));
        }
    }
    sgr_reach_env_free(&env);
    return rc;
}
