/*
 * sgreach exposure [--from SEL]
 *
 * Everything the internet (or SEL) reaches in one hop, directly or through
 * a load balancer, grouped by service, with how (public address, ALB, NLB),
 * the rules that open it, and flags for exposures nobody meant. JSON:
 *   {"from": "internet", "counts": {...}, "services": [{"key", "kind", "name",
 *    "endpoints": [{"id", "kind", "name", "ports", "host_ports" (bridge tasks), "verdict", "how", "via",
 *    "rules": [...], "flags": [...]}]}], "flags": [...]}
 * --format csv: one row per endpoint (source, target, names, ports, verdict,
 * way, deciding rules, flags), RFC 4180 with CRLF line ends.
 * Exit 0, or 2 on a usage or input error.
 */
#include <string.h>

#include "output/report_escape.h"
#include "output/writer_lib.h"

#include "graph/blast.h"
#include "cli/commands.h"
#include "cli/reach_cli.h"
#include "sgreach/exit.h"

static json_t *origin_json(sgr_arena *a, const sgr_origin *o)
{
    const char *t = sgr_origin_or_null(a, o);
    return t ? sgr_json_text(t) : json_null();
}

static json_t *flag_json(sgr_arena *a, const sgr_exp_flag *f, const sgr_exp_item *it, const sgr_exp_group *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "flag", sgr_json_text(f->code));
    if (it) {
        json_object_set_new(o, "endpoint", sgr_json_text(it->ep->id));
        json_object_set_new(o, "service", sgr_json_text(g->key));
        json_object_set_new(o, "ports", sgr_json_text(sgr_ports_text(a, it->ports, it->n_ports)));
        if (it->host_ports)
            json_object_set_new(o, "host_ports", sgr_json_text(sgr_ports_text(a, it->host_ports, it->n_host_ports)));
    }
    json_object_set_new(o, "reason", sgr_json_text(f->reason));
    json_object_set_new(o, "component", f->component ? sgr_json_text(f->component) : json_null());
    json_object_set_new(o, "origin", origin_json(a, &f->origin));
    return o;
}

static json_t *item_json(sgr_arena *a, const sgr_exp_item *it)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", sgr_json_text(it->ep->id));
    json_object_set_new(o, "kind", sgr_json_text(sgr_ep_kind_name(it->ep->kind)));
    json_object_set_new(o, "name", sgr_json_text(it->ep->name ? it->ep->name : it->ep->id));
    json_object_set_new(o, "ports", sgr_json_text(sgr_ports_text(a, it->ports, it->n_ports)));
    if (it->host_ports)
        json_object_set_new(o, "host_ports", sgr_json_text(sgr_ports_text(a, it->host_ports, it->n_host_ports)));
    json_object_set_new(o, "verdict", sgr_json_text(sgr_verdict_name(it->verdict)));
    json_object_set_new(o, "how", sgr_json_text(sgr_exp_how_name(it->how)));
    json_object_set_new(o, "via", sgr_json_text(it->via));
    json_object_set_new(o, "from", sgr_json_text(it->source->id));
    json_t *rules = json_array();
    for (uint32_t k = 0; k < it->n_rules; k++) {
        const sgr_rule_ref *r = &it->rules[k];
        json_t *x = json_object();
        json_object_set_new(x, "component", sgr_json_text(r->component ? r->component : ""));
        json_object_set_new(x, "direction", sgr_json_text(r->direction ? r->direction : ""));
        json_object_set_new(x, "text", sgr_json_text(r->text ? r->text : ""));
        json_object_set_new(x, "origin", origin_json(a, &r->origin));
        json_array_append_new(rules, x);
    }
    json_object_set_new(o, "rules", rules);
    json_t *flags = json_array();
    for (uint32_t k = 0; k < it->n_flags; k++)
        json_array_append_new(flags, flag_json(a, &it->flags[k], NULL, NULL));
    json_object_set_new(o, "flags", flags);
    return o;
}

static void print_json(FILE *out, sgr_arena *a, const char *from, const sgr_exposure *x)
{
    json_t *root = json_object();
    json_object_set_new(root, "from", sgr_json_text(from));
    json_t *counts = json_object();
    json_object_set_new(counts, "services", json_integer(x->n_groups));
    json_object_set_new(counts, "endpoints", json_integer(x->n_items));
    json_object_set_new(counts, "flags", json_integer(x->n_flags));
    json_object_set_new(root, "counts", counts);
    json_t *groups = json_array(), *flags = json_array();
    for (uint32_t i = 0; i < x->n_groups; i++) {
        const sgr_exp_group *g = &x->groups[i];
        json_t *go = json_object();
        json_object_set_new(go, "key", sgr_json_text(g->key));
        json_object_set_new(go, "kind", sgr_json_text(g->kind));
        json_object_set_new(go, "name", sgr_json_text(g->name));
        json_t *eps = json_array();
        for (uint32_t k = 0; k < g->n_items; k++) {
            json_array_append_new(eps, item_json(a, &g->items[k]));
            for (uint32_t f = 0; f < g->items[k].n_flags; f++)
                json_array_append_new(flags, flag_json(a, &g->items[k].flags[f], &g->items[k], g));
        }
        json_object_set_new(go, "endpoints", eps);
        json_array_append_new(groups, go);
    }
    json_object_set_new(root, "services", groups);
    json_object_set_new(root, "flags", flags);
    sgr_json_print(out, root);
}

/* One row per endpoint reached, for spreadsheets (every field escaped by sgr_esc_csv). */
static void print_csv(FILE *out, sgr_arena *a, const sgr_exposure *x)
{
    fputs("source,target,target_kind,target_name,service,ports,host_ports,verdict,way,via,deciding_rules,flags\r\n", out);
    for (uint32_t i = 0; i < x->n_groups; i++) {
        const sgr_exp_group *g = &x->groups[i];
        for (uint32_t k = 0; k < g->n_items; k++) {
            const sgr_exp_item *it = &g->items[k];
            const char *flags = "";
            for (uint32_t f = 0; f < it->n_flags; f++)
                flags = sgr_arena_printf(a, "%s%s%s", flags, f ? " " : "", it->flags[f].code);
            const char *cells[] = {it->source->id, it->ep->id, sgr_ep_kind_name(it->ep->kind),
                                   it->ep->name ? it->ep->name : it->ep->id, g->name,
                                   sgr_ports_text(a, it->ports, it->n_ports),
                                   it->host_ports ? sgr_ports_text(a, it->host_ports, it->n_host_ports) : "",
                                   sgr_verdict_name(it->verdict),
                                   sgr_exp_how_name(it->how), it->via, sgr_rules_text(a, it->rules, it->n_rules), flags};
            sgr_csv_row(out, cells, sizeof cells / sizeof cells[0]);
        }
    }
}

static const char *how_text(const sgr_exp_item *it)
{
    switch (it->how) {
    case SGR_HOW_PUBLIC_ADDRESS: return it->ep->kind == SGR_EP_LB ? "its public addresses" : "its public address";
    case SGR_HOW_ALB: return "application load balancer";
    case SGR_HOW_NLB: return "network load balancer";
    case SGR_HOW_CLB: return "classic load balancer";
    case SGR_HOW_LB: return "load balancer";
    case SGR_HOW_PRIVATE: return "a private route";
    }
    return "?";
}

static void print_rules(FILE *out, sgr_arena *a, const sgr_exp_item *it)
{
    uint32_t shown = 0;
    for (uint32_t k = 0; k < it->n_rules; k++) {
        const sgr_rule_ref *r = &it->rules[k];
        bool sg_in = r->direction && strcmp(r->direction, "ingress") == 0;
        bool open_lb = r->text && strstr(r->text, "filters nothing");
        if (!sg_in && !open_lb)
            continue; /* ACLs and routes pass it too, but groups are what open it */
        const char *o = sgr_origin_or_null(a, &r->origin);
        fprintf(out, "      %s %s%s%s%s\n", shown++ ? "and" : "opened by", r->component ? r->component : "",
                r->text ? ": " : "", r->text ? r->text : "", o ? sgr_arena_printf(a, " (%s)", o) : "");
    }
}

static void print_text(FILE *out, sgr_arena *a, const char *from, const sgr_exposure *x)
{
    fprintf(out, "exposed to %s: %u endpoint%s in %u service%s", from, x->n_items, x->n_items == 1 ? "" : "s",
            x->n_groups, x->n_groups == 1 ? "" : "s");
    if (x->n_flags)
        fprintf(out, ", %u flagged", x->n_flags);
    fputc('\n', out);
    for (uint32_t i = 0; i < x->n_groups; i++) {
        const sgr_exp_group *g = &x->groups[i];
        fprintf(out, "\n%s %s (%u endpoint%s)\n", g->kind, g->name, g->n_items, g->n_items == 1 ? "" : "s");
        const sgr_rule_ref *last = NULL;
        for (uint32_t k = 0; k < g->n_items; k++) {
            const sgr_exp_item *it = &g->items[k];
            fprintf(out, "  %s  %s%s  via %s%s%s%s\n", sgr_ep_label(a, it->ep), sgr_ports_text(a, it->ports, it->n_ports),
                    it->host_ports ? sgr_arena_printf(a, " (host %s)", sgr_ports_text(a, it->host_ports, it->n_host_ports))
                                   : "",
                    how_text(it), it->lb_name ? " " : "", it->lb_name ? it->lb_name : "",
                    it->verdict == SGR_UNKNOWN ? "  (unknown: data missing)" : "");
            if (it->rules != last || it->n_flags)
                print_rules(out, a, it);
            last = it->rules;
            for (uint32_t f = 0; f < it->n_flags; f++) {
                const char *o = sgr_origin_or_null(a, &it->flags[f].origin);
                fprintf(out, "      FLAG %s: %s%s\n", it->flags[f].code, it->flags[f].reason,
                        o ? sgr_arena_printf(a, " (%s)", o) : "");
            }
        }
    }
}

int sgr_cmd_exposure(const sgr_cli *cli, FILE *out)
{
    sgr_reach_env env;
    int rc = sgr_reach_env_open(cli, &env);
    if (rc)
        return rc;
    const sgr_endpoint **src;
    uint32_t n;
    const char *from = cli->from ? cli->from : "internet";
    if (cli->from) {
        n = sgr_reach_select(&env, "exposure", "--from", cli->from, &src);
        if (n == 0) {
            sgr_reach_env_free(&env);
            return SGR_EXIT_USAGE;
        }
    } else {
        src = SGR_NEW(env.a, const sgr_endpoint *);
        src[0] = sgr_graph_internet(env.g);
        n = 1;
    }
    sgr_exposure x;
    sgr_progress_step(&env.progress, "exposure", 0, 0);
    sgr_exposure_run(env.g, env.snap, src, n, env.a, &x);
    sgr_progress_done(&env.progress);
    if (strcmp(sgr_cli_format(cli), "json") == 0)
        print_json(out, env.a, from, &x);
    else if (strcmp(sgr_cli_format(cli), "csv") == 0)
        print_csv(out, env.a, &x);
    else
        print_text(out, env.a, from, &x);
    sgr_reach_env_free(&env);
    return SGR_EXIT_YES;
}
