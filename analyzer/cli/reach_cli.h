/*
 * What `blast` and `exposure` share on the command line (and `can` its
 * endpoint order): turning a selector into endpoints, and naming endpoints,
 * ports and rules.
 */
#ifndef SGREACH_REACH_CLI_H
#define SGREACH_REACH_CLI_H

#include <stdio.h>

#include "cli/open.h"
#include "graph/arena.h"
#include "sgreach/query.h"
#include "sgreach/snapshot.h"

/* The endpoints selector `text` names (internet, addresses, interfaces,
 * tasks, LBs, databases), sorted by id, each once; 0 after printing why
 * ("sgreach: CMD: OPTION: selector '…' matches nothing"). */
uint32_t sgr_reach_select(sgr_reach_env *env, const char *cmd, const char *option, const char *text,
                          const sgr_endpoint ***out);

/* Sorts v[0..n) by endpoint id and drops repeats; returns how many remain. */
uint32_t sgr_endpoints_sort_unique(const sgr_endpoint **v, uint32_t n);

/* "internet", "cidr", "eni", "task", "lb", "db". */
const char *sgr_ep_kind_name(sgr_endpoint_kind k);
/* "task:ID (service orders-api)", "eni-… (web-1)", "lb:web", "internet". */
const char *sgr_ep_label(sgr_arena *a, const sgr_endpoint *e);
/* "tcp:443,8080-8090 udp:53", "all", or "" when empty. */
const char *sgr_ports_text(sgr_arena *a, const sgr_proto_ports *p, uint32_t n);
/* "file:line" of an origin, "file" when the line is unknown, NULL when nothing is known. */
const char *sgr_origin_or_null(sgr_arena *a, const sgr_origin *o);

/* The rules of a CSV row: "sg-1: ingress tcp/443 from 0.0.0.0/0 (dump.json:12); …" (arena). */
const char *sgr_rules_text(sgr_arena *a, const sgr_rule_ref *rules, uint32_t n);

#endif
