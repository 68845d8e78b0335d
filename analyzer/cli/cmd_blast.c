/*
 * sgreach blast --from SEL [--max-hops N|all] | --to SEL [--max-hops N|all]
 *
 * Everything SEL reaches (or everything that reaches SEL), with the ports of
 * the last hop, the number of hops and the path. JSON (SPEC section 3):
 *   {"from": SEL, "max_hops": N|"all", "reachable": [{"id", "kind", "name",
 *    "ports", "host_ports" (a bridge task reached on its host), "possible_ports" (when some are only
 *    possible), "hops", "path", "verdict", "via"}, …]}
 * with "to" and "reached_by" for --to. --format csv: one row per endpoint
 * (RFC 4180, CRLF line ends). Exit 0, or 2 on a usage or input error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag_print.h"
#include "graph/blast.h"
#include "graph/served_ports.h"
#include "cli/commands.h"
#include "cli/reach_cli.h"
#include "output/json_writer.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"
#include "sgreach/exit.h"

static bool parse_hops(const char *text, uint32_t *out)
{
    if (!text) {
        *out = 1;
        return true;
    }
    if (strcmp(text, "all") == 0) {
        *out = SGR_HOPS_ALL;
        return true;
    }
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < 1 || v > 1000000)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* The ports of one line as the endpoint that hears them serves them
 * (docs/selectors.md#ports): a bridge task's container ports, with the host
 * ports beside (*host, else NULL). The last hop ends at the line's endpoint
 * (--from) or at path[1] (--to: the line's endpoint is the client). Its ports
 * are a union over equally short paths, which may mix ways: "mixed". */
static void item_ports(sgr_arena *a, const sgr_blast_item *it, bool reverse, const char **ports, const char **host)
{
    const sgr_endpoint *to = reverse ? (it->n_path > 1 ? it->path[1] : NULL) : it->ep;
    sgr_proto_ports *served, *hp;
    uint32_t n_served, n_hp;
    *host = NULL;
    if (to && sgr_served_view(a, to, it->via, true, it->ports, it->n_ports, &served, &n_served, &hp, &n_hp)) {
        *ports = sgr_ports_text(a, served, n_served);
        *host = sgr_ports_text(a, hp, n_hp);
        return;
    }
    *ports = sgr_ports_text(a, it->ports, it->n_ports);
}

/* Written as it is made (output/json_writer.h): a whole estate's blast
 * radius is tens of MB. */
static void item_json(sgr_jw *w, sgr_arena *a, const sgr_blast_item *it, bool reverse)
{
    sgr_jw_object(w);
    sgr_jw_field(w, "id", it->ep->id);
    sgr_jw_field(w, "kind", sgr_ep_kind_name(it->ep->kind));
    sgr_jw_field(w, "name", it->ep->name ? it->ep->name : it->ep->id);
    if (it->ep->service)
        sgr_jw_field(w, "service", it->ep->service);
    const char *ports, *host;
    item_ports(a, it, reverse, &ports, &host);
    sgr_jw_field(w, "ports", ports);
    if (host)
        sgr_jw_field(w, "host_ports", host);
    if (it->n_maybe)
        sgr_jw_field(w, "possible_ports", sgr_ports_text(a, it->maybe, it->n_maybe));
    sgr_jw_key(w, "hops");
    sgr_jw_int(w, it->hops);
    sgr_jw_field(w, "verdict", sgr_verdict_name(it->verdict));
    sgr_jw_field(w, "via", it->via);
    sgr_jw_key(w, "path");
    sgr_jw_array(w);
    for (uint32_t k = 0; k < it->n_path; k++)
        sgr_jw_text(w, it->path[k]->id);
    sgr_jw_end(w);
    sgr_jw_end(w);
}

static void print_json(FILE *out, sgr_arena *a, const char *sel, bool reverse, uint32_t hops, const sgr_blast *b)
{
    sgr_jw w;
    sgr_jw_start(&w, out);
    sgr_jw_object(&w);
    sgr_jw_field(&w, reverse ? "to" : "from", sel);
    sgr_jw_key(&w, "max_hops");
    if (hops == SGR_HOPS_ALL)
        sgr_jw_text(&w, "all");
    else
        sgr_jw_int(&w, hops);
    sgr_jw_key(&w, reverse ? "reached_by" : "reachable");
    sgr_jw_array(&w);
    for (uint32_t i = 0; i < b->n; i++)
        item_json(&w, a, &b->items[i], reverse);
    sgr_jw_end(&w);
    sgr_jw_end(&w);
    sgr_jw_finish(&w);
}

static void print_text(FILE *out, sgr_arena *a, const char *sel, bool reverse, uint32_t hops, const sgr_blast *b)
{
    char depth[32];
    if (hops == SGR_HOPS_ALL)
        snprintf(depth, sizeof depth, "lateral movement, any depth");
    else if (hops == 1)
        snprintf(depth, sizeof depth, "one hop");
    else
        snprintf(depth, sizeof depth, "up to %u hops", hops);
    uint32_t unknown = 0;
    for (uint32_t i = 0; i < b->n; i++)
        unknown += b->items[i].verdict == SGR_UNKNOWN;
    fprintf(out, "%s %s (%s): %u endpoint%s", reverse ? "reaching" : "reached from", sel, depth, b->n,
            b->n == 1 ? "" : "s");
    if (unknown)
        fprintf(out, ", %u of them only possibly (data missing)", unknown);
    fputc('\n', out);
    uint32_t level = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        const sgr_blast_item *it = &b->items[i];
        if (it->hops != level) {
            level = it->hops;
            fprintf(out, "\nhop %u:\n", level);
        }
        const char *ports, *host;
        item_ports(a, it, reverse, &ports, &host);
        fprintf(out, "  %s  %s%s%s%s%s  via %s\n", sgr_ep_label(a, it->ep), ports,
                host ? sgr_arena_printf(a, " (host %s)", host) : "",
                it->verdict == SGR_UNKNOWN ? "  (unknown)" : "", it->n_maybe ? "  (possibly also " : "",
                it->n_maybe ? sgr_arena_printf(a, "%s: data missing)", sgr_ports_text(a, it->maybe, it->n_maybe)) : "",
                it->via);
        if (it->hops > 1) {
            fprintf(out, "    path:");
            for (uint32_t k = 0; k < it->n_path; k++)
                fprintf(out, "%s %s", k ? " ->" : "", it->path[k]->id);
            fputc('\n', out);
        }
    }
}

/* One row per endpoint reached, for spreadsheets: the last hop's source,
 * the target and its names, the ports, the verdict, the way, and the ingress
 * rules that open the last hop (sgr_exposure_rules). */
static void print_csv(FILE *out, sgr_arena *a, const sgr_snapshot *snap, bool reverse, const sgr_blast *b)
{
    fputs(reverse ? "target,source,source_kind,source_name,service,ports,host_ports,possible_ports,hops,verdict,via,path,"
                    "deciding_rules\r\n"
                  : "source,target,target_kind,target_name,service,ports,host_ports,possible_ports,hops,verdict,via,path,"
                    "deciding_rules\r\n",
          out);
    sgr_addrset internet = sgr_addrset_internet(a);
    for (uint32_t i = 0; i < b->n; i++) {
        const sgr_blast_item *it = &b->items[i];
        /* the last hop: path[n-2] -> path[n-1] (--to: path[1] -> path[0]) */
        const sgr_endpoint *from = it->n_path > 1 ? (reverse ? it->ep : it->path[it->n_path - 2]) : NULL;
        const sgr_endpoint *to = it->n_path > 1 ? (reverse ? it->path[1] : it->ep) : NULL;
        const char *rules = "";
        if (from && to) {
            sgr_rule_ref *rr;
            uint32_t nr;
            sgr_exposure_rules(snap, from, to, it->via, it->ports, it->n_ports, &internet, a, &rr, &nr);
            rules = sgr_rules_text(a, rr, nr);
        }
        const char *path = "", *ports, *host;
        item_ports(a, it, reverse, &ports, &host);
        for (uint32_t k = 0; k < it->n_path; k++)
            path = sgr_arena_printf(a, "%s%s%s", path, k ? " -> " : "", it->path[k]->id);
        const char *cells[] = {reverse ? it->path[it->n_path - 1]->id : it->path[0]->id,
                               it->ep->id, sgr_ep_kind_name(it->ep->kind), it->ep->name ? it->ep->name : it->ep->id,
                               it->ep->service ? it->ep->service : "", ports, host ? host : "",
                               it->n_maybe ? sgr_ports_text(a, it->maybe, it->n_maybe) : "",
                               sgr_arena_printf(a, "%u", (unsigned)it->hops), sgr_verdict_name(it->verdict), it->via,
                               path, rules};
        sgr_csv_row(out, cells, sizeof cells / sizeof cells[0]);
    }
}

int sgr_cmd_blast(const sgr_cli *cli, FILE *out)
{
    if (!cli->from == !cli->to) {
        sgr_eprintf("sgreach: blast: needs exactly one of --from SEL and --to SEL");
        return SGR_EXIT_USAGE;
    }
    uint32_t hops;
    if (!parse_hops(cli->max_hops, &hops)) {
        sgr_eprintf("sgreach: blast: bad --max-hops '%s' (a number from 1, or all)", cli->max_hops);
        return SGR_EXIT_USAGE;
    }
    bool reverse = cli->to != NULL;
    const char *sel = reverse ? cli->to : cli->from;
    sgr_reach_env env;
    int rc = sgr_reach_env_open(cli, &env);
    if (rc)
        return rc;
    const sgr_endpoint **src;
    uint32_t n = sgr_reach_select(&env, "blast", reverse ? "--to" : "--from", sel, &src);
    if (n == 0) {
        sgr_reach_env_free(&env);
        return SGR_EXIT_USAGE;
    }
    sgr_blast b;
    sgr_progress_step(&env.progress, "blast radius", 0, 0);
    sgr_blast_run(env.g, env.snap, src, n, reverse, hops, env.a, &b);
    sgr_progress_done(&env.progress);
    if (strcmp(sgr_cli_format(cli), "json") == 0)
        print_json(out, env.a, sel, reverse, hops, &b);
    else if (strcmp(sgr_cli_format(cli), "csv") == 0)
        print_csv(out, env.a, env.snap, reverse, &b);
    else
        print_text(out, env.a, sel, reverse, hops, &b);
    sgr_reach_env_free(&env);
    return SGR_EXIT_YES;
}
