/*
 * The findings driver: the catalogue, the index of the snapshot the checks
 * share, and the final sort (the helpers the checks share: findings_lib.c). The checks themselves live in findings_sg.c (security groups),
 * findings_nlb.c (transparent NLBs and bridge hosts) and findings_ecs.c (ECS
 * network modes, ENI density, subnet addresses).
 */
#include "queries/findings_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sgr_fcheck CATALOGUE[] = {
    {"open-admin-port", SGR_FSEV_HIGH, "Admin or database port open to the internet",
     "A group admits 0.0.0.0/0 or ::/0 on a port used for administration or a datastore "
     "(SSH, RDP, MySQL, PostgreSQL, Redis, Docker, ...); these services are scanned within minutes "
     "of exposure. Critical when an interface carrying the group has a public address.",
     "AWS-FACTS §3 (0.0.0.0/0 matches every public address); AWS Security Hub EC2.13/EC2.14/EC2.19"},
    {"nlb-bridge-host-exposure", SGR_FSEV_HIGH, "Bridge tasks exposed through a host group opened for a transparent NLB",
     "An NLB without security groups preserves the client address for instance targets, so the "
     "container instance's group must admit the clients (often 0.0.0.0/0) on the target ports; in "
     "bridge and host mode that group is the host's, so every other task whose host port falls in "
     "the opened range is exposed the same way.",
     "seeds/000 (NLB warning); AWS-FACTS §6-7 (bridge tasks use the instance's groups; NLB client IP preservation)"},
    {"nlb-open-target", SGR_FSEV_MEDIUM, "Targets that must admit 0.0.0.0/0 because their NLB is transparent",
     "Behind an NLB without security groups and with client IP preservation, the targets' groups "
     "see the client's address and must admit the client range; the target then admits that range "
     "from every path, not only through the NLB.",
     "AWS-FACTS §7 ('the security groups for your targets must use IP addresses'); ECS guide 'Load balancer types'"},
    {"bridge-dynamic-range", SGR_FSEV_MEDIUM, "Broad dynamic-port range open between hosts (bridge mode)",
     "Bridge tasks with dynamic host ports (32768-65535 / 49153-65535) force a wide range open on the "
     "hosts' group; any service on any host can then reach every other bridge task, and no rule can "
     "say which service may talk to which.",
     "seeds/001 (bridge mode: 'it is necessary to open broad port ranges between hosts'); AWS-FACTS §6"},
    {"host-port-conflict", SGR_FSEV_LOW, "Two tasks claim the same host port on one instance",
     "In host mode (and bridge mode with a static host port) only the first task binds the port; "
     "the second cannot start on that instance.",
     "seeds/001 (host mode: 'You can't run more than a single instantiation of a task on each host')"},
    {"host-mode-loopback", SGR_FSEV_MEDIUM, "Host-mode tasks share the host's network namespace",
     "A host-mode container uses the instance's address and groups, can impersonate the host and can "
     "connect to services bound to the host's loopback interface.",
     "seeds/001 (host mode: 'allows containers to connect to private loopback network services on the host')"},
    {"public-ip-service", SGR_FSEV_MEDIUM, "ECS service assigns public addresses to its tasks",
     "assignPublicIp ENABLED gives every task a public address: the task is reachable from the "
     "internet wherever its groups allow it. High when one of its groups admits 0.0.0.0/0 or ::/0.",
     "seeds/002 (assignPublicIp: 'NOT recommended for production'); AWS-FACTS §6 AwsVpcConfiguration"},
    {"eni-density", SGR_FSEV_MEDIUM, "awsvpc tasks beyond the instance's ENI limit",
     "On EC2 each awsvpc task needs an interface; without ENI trunking an instance hosts at most "
     "(its ENI limit - 1) tasks (c5.large: 3 ENIs, 2 tasks; 10 with trunking). Tasks beyond that "
     "stay PENDING.",
     "seeds/001 ('Increasing task density with ENI Trunking'); ECS guide 'Elastic network interface trunking'"},
    {"subnet-exhaustion", SGR_FSEV_MEDIUM, "Subnet close to IP address exhaustion",
     "Every awsvpc task takes an address of its subnet; a subnet with under 10% of its usable "
     "addresses left (a /20 has 4,091) makes task and instance launches fail.",
     "seeds/001 ('Preventing IP address exhaustion'); AWS reserves 5 addresses per subnet"},
    {"shadowed-rule", SGR_FSEV_LOW, "Rule shadowed by another rule of the same group",
     "A rule whose protocol, ports and peer are all covered by another rule of the same group and "
     "direction has no effect; it misleads reviewers and survives the removal it was meant for.",
     "AWS-FACTS §3 (security groups are allow-only: the union of rules decides)"},
    {"unknown-group", SGR_FSEV_MEDIUM, "Reference to a group no dump describes",
     "A rule or interface names a group whose rules and members are not in the snapshot; every "
     "verdict that depends on it is unknown until its account's dump is added.",
     "SPEC §1-2 (missing data gives unknown, never unreachable)"},
    {"unattached-group", SGR_FSEV_LOW, "Group attached to nothing",
     "No interface, instance, ECS service (awsvpcConfiguration), load balancer, database or VPC "
     "endpoint carries the group; it is dead weight that someone will attach by mistake. References "
     "from other groups' rules do not count as attachments: they grant nothing while nothing carries it.",
     "AWS-FACTS §3; ECS services and load balancers count as attachments (a false positive other tools are known for)"},
};

const sgr_fcheck *sgr_findings_catalogue(uint32_t *n)
{
    *n = (uint32_t)(sizeof CATALOGUE / sizeof CATALOGUE[0]);
    return CATALOGUE;
}

const char *sgr_fsev_name(sgr_fsev s)
{
    static const char *const NAMES[] = {"critical", "high", "medium", "low", "info"};
    return (unsigned)s < 5 ? NAMES[s] : "info";
}

static void count_attach(sgr_fctx *c, const char *gid)
{
    if (!gid)
        return;
    uintptr_t n = (uintptr_t)sgr_strmap_get(c->map, FTAG_ATTACH, gid);
    sgr_strmap_put(c->map, FTAG_ATTACH, gid, (void *)(n + 1));
}

static void count_attach_strs(sgr_fctx *c, const sgr_strs *s)
{
    for (uint32_t i = 0; i < s->count; i++)
        count_attach(c, s->items[i]);
}

static void index_snapshot(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t i = 0; i < s->n_sgs; i++)
        if (s->sgs[i]->id)
            sgr_strmap_put(c->map, FTAG_SG, s->sgs[i]->id, s->sgs[i]);
    for (uint32_t i = 0; i < s->n_instances; i++)
        if (s->instances[i]->id)
            sgr_strmap_put(c->map, FTAG_INSTANCE, s->instances[i]->id, s->instances[i]);
    for (uint32_t i = 0; i < s->n_enis; i++)
        count_attach_strs(c, &s->enis[i]->group_ids);
    for (uint32_t i = 0; i < s->n_instances; i++)
        count_attach_strs(c, &s->instances[i]->group_ids);
    for (uint32_t i = 0; i < s->n_services; i++)
        count_attach_strs(c, &s->services[i]->group_ids);
    for (uint32_t i = 0; i < s->n_lbs; i++)
        count_attach_strs(c, &s->lbs[i]->group_ids);
    for (uint32_t i = 0; i < s->n_dbs; i++)
        count_attach_strs(c, &s->dbs[i]->group_ids);
    for (uint32_t i = 0; i < s->n_vpc_endpoints; i++)
        count_attach_strs(c, &s->vpc_endpoints[i]->group_ids);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const sgr_finding *a = pa, *b = pb;
    if (a->severity != b->severity)
        return a->severity < b->severity ? -1 : 1;
    int d = strcmp(a->id, b->id);
    return d ? d : strcmp(a->title, b->title);
}

void sgr_findings_run(const sgr_snapshot *snap, sgr_arena *a, sgr_findings *out)
{
    memset(out, 0, sizeof *out);
    sgr_fctx c = {.snap = snap, .a = a, .out = out, .map = sgr_strmap_new(a)};
    index_snapshot(&c);
    sgr_findings_sg(&c);
    sgr_findings_nlb(&c);
    sgr_findings_ecs(&c);
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, cmp_finding);
}

void sgr_findings_count(const sgr_findings *f, uint32_t counts[5])
{
    memset(counts, 0, 5 * sizeof counts[0]);
    for (uint32_t i = 0; i < f->count; i++)
        counts[(unsigned)f->items[i].severity < 5 ? f->items[i].severity : SGR_FSEV_INFO]++;
}
