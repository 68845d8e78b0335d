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

#include "output/json_writer.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"

#include "graph/blast.h"
#include "cli/commands.h"
#include "cli/reach_cli.h"
#include "sgreach/exit.h"

/* The JSON is written as it is made: at a million interfaces it is hundreds
 * of MB, which a jansson tree would hold whole first (output/json_writer.h). */
static void origin_json(sgr_jw *w, sgr_arena *a, const sgr_origin *o)
{
    sgr_jw_key(w, "origin");
    sgr_jw_text(w, sgr_origin_or_null(a, o));
}

static void flag_json(sgr_jw *w, sgr_arena *a, const sgr_exp_flag *f, const sgr_exp_item *it, const sgr_exp_group *g)
{
    sgr_jw_object(w);
    sgr_jw_field(w, "flag", f->code);
    if (it) {
        sgr_jw_field(w, "endpoint", it->ep->id);
        sgr_jw_field(w, "service", g->key);
        sgr_jw_field(w, "ports", sgr_ports_text(a, it->ports, it->n_ports));
        if (it->host_ports)
            sgr_jw_field(w, "host_ports", sgr_ports_text(a, it->host_ports, it->n_host_ports));
    }
    sgr_jw_field(w, "reason", f->reason);
    sgr_jw_field(w, "component", f->component);
    origin_json(w, a, &f->origin);
    sgr_jw_end(w);
}

static void item_json(sgr_jw *w, sgr_arena *a, const sgr_exp_item *it)
{
    sgr_jw_object(w);
    sgr_jw_field(w, "id", it->ep->id);
    sgr_jw_field(w, "kind", sgr_ep_kind_name(it->ep->kind));
    sgr_jw_field(w, "name", it->ep->name ? it->ep->name : it->ep->id);
    sgr_jw_field(w, "ports", sgr_ports_text(a, it->ports, it->n_ports));
    if (it->host_ports)
        sgr_jw_field(w, "host_ports", sgr_ports_text(a, it->host_ports, it->n_host_ports));
    sgr_jw_field(w, "verdict", sgr_verdict_name(it->verdict));
    sgr_jw_field(w, "how", sgr_exp_how_name(it->how));
    sgr_jw_field(w, "via", it->via);
    sgr_jw_field(w, "from", it->source->id);
    sgr_jw_key(w, "rules");
    sgr_jw_array(w);
    for (uint32_t k = 0; k < it->n_rules; k++) {
        const sgr_rule_ref *r = &it->rules[k];
        sgr_jw_object(w);
        sgr_jw_field(w, "component", r->component ? r->component : "");
        sgr_jw_field(w, "direction", r->direction ? r->direction : "");
        sgr_jw_field(w, "text", r->text ? r->text : "");
        origin_json(w, a, &r->origin);
        sgr_jw_end(w);
    }
    sgr_jw_end(w);
    sgr_jw_key(w, "flags");
    sgr_jw_array(w);
    for (uint32_t k = 0; k < it->n_flags; k++)
        flag_json(w, a, &it->flags[k], NULL, NULL);
    sgr_jw_end(w);
    sgr_jw_end(w);
}

static void print_json(FILE *out, sgr_arena *a, const char *from, const sgr_exposure *x)
{
    sgr_jw w;
    sgr_jw_start(&w, out);
    sgr_jw_object(&w);
    sgr_jw_field(&w, "from", from);
    sgr_jw_key(&w, "counts");
    sgr_jw_object(&w);
    sgr_jw_key(&w, "services");
    sgr_jw_int(&w, x->n_groups);
    sgr_jw_key(&w, "endpoints");
    sgr_jw_int(&w, x->n_items);
    sgr_jw_key(&w, "flags");
    sgr_jw_int(&w, x->n_flags);
    sgr_jw_end(&w);
    sgr_jw_key(&w, "services");
    sgr_jw_array(&w);
    for (uint32_t i = 0; i < x->n_groups; i++) {
        const sgr_exp_group *g = &x->groups[i];
        sgr_jw_object(&w);
        sgr_jw_field(&w, "key", g->key);
        sgr_jw_field(&w, "kind", g->kind);
        sgr_jw_field(&w, "name", g->name);
        sgr_jw_key(&w, "endpoints");
        sgr_jw_array(&w);
        for (uint32_t k = 0; k < g->n_items; k++)
            item_json(&w, a, &g->items[k]);
        sgr_jw_end(&w);
        sgr_jw_end(&w);
    }
    sgr_jw_end(&w);
    /* every endpoint's flags again, in the same order, with where they are */
    sgr_jw_key(&w, "flags");
    sgr_jw_array(&w);
    for (uint32_t i = 0; i < x->n_groups; i++)
        for (uint32_t k = 0; k < x->groups[i].n_items; k++)
            for (uint32_t f = 0; f < x->groups[i].items[k].n_flags; f++)
                flag_json(&w, a, &x->groups[i].items[k].flags[f], &x->groups[i].items[k], &x->groups[i]);
    sgr_jw_end(&w);
    sgr_jw_end(&w);
    sgr_jw_finish(&w);
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
