/*
 * Resolving a parsed selector against the model (docs/selectors.md).
 *
 * Every form reduces to a few expansions, so that the same object selects the
 * same things whichever way it is named: an interface is returned as its task
 * or load balancer when it has one; an instance as its own interfaces (not the
 * tasks on it); a group, subnet or VPC as every interface in or carrying it; a
 * service as its tasks; a target group as its registered targets. The model is
 * scanned linearly: selectors are resolved once per question, and a scan keeps
 * hand-built snapshots (tests, no index) working.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/addrset.h"
#include "load/import.h"
#include "queries/selector_int.h"

typedef struct rctx {
    const sgr_selector *s;
    const sgr_snapshot *snap;
    sgr_arena *a;
    sgr_selection *out;
    uint32_t cap_cidrs, cap_enis, cap_tasks, cap_lbs, cap_dbs;
    const char *note;           /* why a named object selected nothing */
    pcre2_match_data *md;
    pcre2_match_context *mc;
} rctx;

static bool streq(const char *x, const char *y)
{
    return x && y && strcmp(x, y) == 0;
}

static bool strs_has(const sgr_strs *v, const char *id)
{
    for (uint32_t i = 0; i < v->count; i++)
        if (streq(v->items[i], id))
            return true;
    return false;
}

static bool ip_eq(const sgr_ip *x, const sgr_ip *y)
{
    if (x->family == 0 || x->family != y->family)
        return false;
    return memcmp(x->b, y->b, x->family == SGR_AF_INET ? 4 : 16) == 0;
}

const char *sgr_sel_cluster_name(const char *cluster_arn)
{
    const char *c = cluster_arn ? strstr(cluster_arn, ":cluster/") : NULL;
    return c ? c + 9 : cluster_arn;
}

/* ------------------------------------------------------------------ collecting */

#define PUSH(r, field, item)                                                                     \
    do {                                                                                         \
        (r)->out->field = sgr_arena_grow((r)->a, (r)->out->field, &(r)->cap_##field,             \
                                         (r)->out->n_##field + 1, sizeof *(r)->out->field);      \
        (r)->out->field[(r)->out->n_##field++] = (item);                                         \
    } while (0)

static void add_task(rctx *r, sgr_task *t) { PUSH(r, tasks, t); }
static void add_lb(rctx *r, sgr_lb *lb) { PUSH(r, lbs, lb); }
static void add_db(rctx *r, sgr_db *db) { PUSH(r, dbs, db); }
static void add_cidr(rctx *r, sgr_prefix p) { PUSH(r, cidrs, p); }

/* An interface, as its owner when a task or a load balancer owns it. */
static void add_eni(rctx *r, sgr_eni *e)
{
    if (e->task)
        add_task(r, e->task);
    else if (e->lb)
        add_lb(r, e->lb);
    else
        PUSH(r, enis, e);
}

/* An instance's own interfaces (primary and secondary), not its tasks'. */
static void add_instance(rctx *r, sgr_instance *inst)
{
    uint32_t before = r->out->n_enis;
    const sgr_snapshot *snap = r->snap;
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        sgr_eni *e = snap->enis[i];
        bool mine = e->instance == inst || streq(e->attached_instance, inst->id) ||
                    e == inst->primary_eni;
        for (uint32_t k = 0; !mine && k < inst->n_enis; k++)
            mine = inst->enis[k].eni == e;
        if (mine && !e->task && !e->lb && e->owner_kind != SGR_ENI_OWNER_TASK)
            PUSH(r, enis, e);
    }
    if (r->out->n_enis == before && !r->note)
        r->note = sgr_arena_printf(r->a, "instance %s: none of its network interfaces is in the "
                                         "snapshot", inst->id);
}

/* endpoint:NAME names a VPC endpoint by its id, its ServiceName, or the
 * ServiceName's end after a dot ("s3" for com.amazonaws.us-east-1.s3,
 * "us-east-1.s3", or a PrivateLink service's "vpce-svc-…"). */
static bool endpoint_named(const sgr_vpc_endpoint *v, const char *name)
{
    if (streq(v->id, name) || streq(v->service_name, name))
        return true;
    size_t ln = strlen(name), ls = v->service_name ? strlen(v->service_name) : 0;
    return ln && ls > ln && v->service_name[ls - ln - 1] == '.' && strcmp(v->service_name + ls - ln, name) == 0;
}

/* A VPC endpoint's interfaces (interface and Gateway Load Balancer endpoints;
 * a gateway endpoint has none: its service is reached by its prefix list). */
static void add_endpoint(rctx *r, const sgr_vpc_endpoint *v)
{
    const sgr_snapshot *snap = r->snap;
    uint32_t before = r->out->n_enis;
    for (uint32_t i = 0; i < snap->n_enis; i++)
        if (strs_has(&v->eni_ids, snap->enis[i]->id))
            add_eni(r, snap->enis[i]);
    if (r->out->n_enis == before && !r->note)
        r->note = sgr_arena_printf(r->a, "VPC endpoint %s (%s, %s) has no network interface in the snapshot%s", v->id,
                                   v->service_name ? v->service_name : "?", v->type ? v->type : "?",
                                   v->type && strcmp(v->type, "Gateway") == 0
                                       ? ": a gateway endpoint has none (its service's prefix list is reached through it)"
                                       : "");
}

/* The service an AWS name is of: com.amazonaws.REGION.SERVICE → SERVICE
 * (s3, dynamodb, ecr.api, …), NULL for another name, endpoint services
 * (com.amazonaws.vpce.REGION.vpce-svc-…) included. */
static const char *aws_service_of(const char *name)
{
    if (!name || strncmp(name, "com.amazonaws.", 14) != 0 || strncmp(name, "com.amazonaws.vpce.", 19) == 0)
        return NULL;
    const char *dot = strchr(name + 14, '.');
    if (dot && strncmp(dot + 1, "ipv6.", 5) == 0) /* com.amazonaws.REGION.ipv6.SERVICE: the same service */
        dot += 5;
    return dot && dot[1] ? dot + 1 : NULL;
}

/* A prefix list as the addresses of its entries (each a CIDR); entries not in
 * the snapshot select nothing and say so. */
static void add_prefix_list(rctx *r, const sgr_prefix_list *pl)
{
    for (uint32_t k = 0; pl->entries_known && k < pl->n_entries; k++)
        add_cidr(r, pl->entries[k]);
    if (!pl->entries_known && !r->note)
        r->note = sgr_arena_printf(r->a, "prefix list %s%s%s%s: its entries are not in the snapshot "
                                         "(get-managed-prefix-list-entries)",
                                   pl->id, pl->name ? " (" : "", pl->name ? pl->name : "", pl->name ? ")" : "");
}

/* aws:SERVICE: every way to the service the snapshot shows (docs/selectors.md).
 * The interfaces of its interface endpoints (com.amazonaws.REGION.SERVICE,
 * type Interface), which carry the traffic of clients whose DNS name resolves
 * to them; and its public addresses: the entries of its AWS-managed prefix
 * lists (reached through a gateway endpoint's route, a NAT or an internet
 * gateway), or, where the snapshot holds none of those entries, the internet,
 * every public address standing for the service's (a service without a
 * managed prefix list, such as SQS or ECR, publishes its ranges only in
 * ip-ranges.json, which the snapshot does not hold). */
static void add_aws_service(rctx *r, const char *service)
{
    const sgr_snapshot *snap = r->snap;
    bool ranges = false, gap = false;
    r->out->alternatives = true;
    for (uint32_t i = 0; i < snap->n_prefix_lists; i++) {
        const sgr_prefix_list *pl = snap->prefix_lists[i];
        if (!streq(aws_service_of(pl->name), service))
            continue;
        const char *note = r->note;
        add_prefix_list(r, pl);
        r->note = note; /* entries missing: the internet stands for them */
        ranges |= pl->entries_known && pl->n_entries > 0;
        gap |= !pl->entries_known; /* one list read does not stand for another (IPv4 and IPv6) */
    }
    for (uint32_t i = 0; i < snap->n_vpc_endpoints; i++) {
        const sgr_vpc_endpoint *v = snap->vpc_endpoints[i];
        if (streq(v->type, "Interface") && streq(aws_service_of(v->service_name), service))
            for (uint32_t k = 0; k < snap->n_enis; k++)
                if (strs_has(&v->eni_ids, snap->enis[k]->id))
                    add_eni(r, snap->enis[k]);
    }
    if (!ranges || gap) {
        r->out->internet = true;
        r->out->aws_service = sgr_arena_strdup(r->a, service);
    }
}

/* elasticache:ID: the interfaces of the cache clusters whose id or replication
 * group is ID. describe-cache-clusters gives node endpoints as DNS names
 * only, so an interface is a cluster's when ElastiCache describes it so,
 * "ElastiCache CLUSTER-ID"; an interface so described for ID is selected even
 * when the cluster itself is not in the snapshot. */
static bool cache_described(const sgr_eni *e, const char *cluster_id)
{
    const char *d = e->description;
    return d && strncmp(d, "ElastiCache ", 12) == 0 && streq(d + 12, cluster_id);
}

static void add_cache(rctx *r, const char *id)
{
    const sgr_snapshot *snap = r->snap;
    uint32_t before = r->out->n_enis;
    const sgr_cache *hit = NULL;
    for (uint32_t i = 0; i < snap->n_caches; i++) {
        const sgr_cache *c = snap->caches[i];
        if (!streq(c->id, id) && !streq(c->replication_group_id, id))
            continue;
        hit = c;
        for (uint32_t k = 0; k < snap->n_enis; k++)
            if (cache_described(snap->enis[k], c->id))
                add_eni(r, snap->enis[k]);
    }
    for (uint32_t k = 0; !hit && k < snap->n_enis; k++)
        if (cache_described(snap->enis[k], id))
            add_eni(r, snap->enis[k]);
    if (hit && r->out->n_enis == before && !r->note)
        r->note = sgr_arena_printf(r->a, "ElastiCache %s: no network interface described \"ElastiCache %s\" is in the "
                                         "snapshot (aws ec2 describe-network-interfaces)", id, hit->id);
}

static bool same_groups(const sgr_strs *x, const sgr_strs *y)
{
    for (uint32_t i = 0; i < x->count; i++)
        if (!strs_has(y, x->items[i]))
            return false;
    for (uint32_t i = 0; i < y->count; i++)
        if (!strs_has(x, y->items[i]))
            return false;
    return x->count > 0;
}

/* A Lambda Hyperplane interface made for function `name`: described
 * "AWS Lambda VPC ENI-NAME-UUID" (a UUID of 36 characters). */
static bool lambda_described(const sgr_eni *e, const char *name)
{
    const char *d = e->description;
    size_t ln = strlen(name);
    return d && strncmp(d, "AWS Lambda VPC ENI-", 19) == 0 && strlen(d) == 19 + ln + 1 + 36 &&
           strncmp(d + 19, name, ln) == 0 && d[19 + ln] == '-';
}

static bool lambda_interface(const sgr_eni *e)
{
    return streq(e->interface_type, "lambda") || (e->description && strncmp(e->description, "AWS Lambda VPC ENI", 18) == 0);
}

/* lambda:NAME: the Hyperplane interfaces of the function called NAME (or with
 * that ARN). Lambda makes one interface per subnet and set of groups of the
 * functions' VpcConfig, shared by every function with the same ones, and
 * describes it by the first function only: an interface is the function's
 * when it is a Lambda interface in one of its subnets with exactly its
 * groups, or when it is described for it. */
static void add_function(rctx *r, const char *id)
{
    const sgr_snapshot *snap = r->snap;
    uint32_t before = r->out->n_enis;
    const sgr_function *hit = NULL;
    for (uint32_t i = 0; i < snap->n_functions; i++) {
        const sgr_function *f = snap->functions[i];
        if (!streq(f->name, id) && !streq(f->arn, id))
            continue;
        hit = f;
        for (uint32_t k = 0; k < snap->n_enis; k++) {
            sgr_eni *e = snap->enis[k];
            if (lambda_described(e, f->name) ||
                (lambda_interface(e) && strs_has(&f->subnet_ids, e->subnet_id) && same_groups(&f->group_ids, &e->group_ids)))
                add_eni(r, e);
        }
    }
    for (uint32_t k = 0; !hit && k < snap->n_enis; k++)
        if (lambda_described(snap->enis[k], id))
            add_eni(r, snap->enis[k]);
    if (hit && r->out->n_enis == before && !r->note)
        r->note = hit->subnet_ids.count
                      ? sgr_arena_printf(r->a, "Lambda function %s: none of its interfaces (a Lambda interface in its "
                                               "subnets with its security groups) is in the snapshot", hit->name)
                      : sgr_arena_printf(r->a, "Lambda function %s is not attached to a VPC (no VpcConfig subnets): "
                                               "it has no network interface", hit->name);
}

static bool sg_carried(rctx *r, const char *sg_id)
{
    const sgr_snapshot *snap = r->snap;
    bool any = false;
    for (uint32_t i = 0; i < snap->n_enis; i++)
        if (strs_has(&snap->enis[i]->group_ids, sg_id)) {
            add_eni(r, snap->enis[i]);
            any = true;
        }
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        if (strs_has(&snap->lbs[i]->group_ids, sg_id)) {
            add_lb(r, snap->lbs[i]);
            any = true;
        }
    /* awsvpc tasks whose interface the dump lacks carry their service's groups. */
    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        sgr_task *t = snap->tasks[i];
        if (!t->eni && t->service && t->service->has_awsvpc_config &&
            strs_has(&t->service->group_ids, sg_id)) {
            add_task(r, t);
            any = true;
        }
    }
    for (uint32_t i = 0; i < snap->n_dbs; i++)
        if (strs_has(&snap->dbs[i]->group_ids, sg_id)) {
            add_db(r, snap->dbs[i]);
            any = true;
        }
    return any;
}

static void add_sg(rctx *r, const sgr_sg *sg)
{
    if (!sg_carried(r, sg->id) && !r->note)
        r->note = sgr_arena_printf(r->a, "security group %s%s%s%s is attached to nothing in the "
                                         "snapshot", sg->id, sg->name ? " (" : "",
                                   sg->name ? sg->name : "", sg->name ? ")" : "");
}

static const char *subnet_vpc(const sgr_snapshot *snap, const char *subnet_id)
{
    for (uint32_t i = 0; i < snap->n_subnets; i++)
        if (streq(snap->subnets[i]->id, subnet_id))
            return snap->subnets[i]->vpc_id;
    return NULL;
}

/* Every interface (task, LB) in a subnet (vpc == false) or a VPC (vpc == true). */
static bool add_in(rctx *r, const char *id, bool vpc)
{
    const sgr_snapshot *snap = r->snap;
    uint32_t before = r->out->n_enis + r->out->n_tasks + r->out->n_lbs + r->out->n_dbs;
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        sgr_eni *e = snap->enis[i];
        const char *in = vpc ? (e->vpc_id ? e->vpc_id : e->subnet ? e->subnet->vpc_id : NULL)
                             : e->subnet_id;
        if (streq(in, id))
            add_eni(r, e);
    }
    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        sgr_task *t = snap->tasks[i];
        if (!t->eni && t->subnet_id &&
            streq(vpc ? subnet_vpc(snap, t->subnet_id) : t->subnet_id, id))
            add_task(r, t);
    }
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        if (vpc ? streq(snap->lbs[i]->vpc_id, id) : strs_has(&snap->lbs[i]->subnet_ids, id))
            add_lb(r, snap->lbs[i]);
    /* A database spans its subnet group: only its VPC is certain. */
    for (uint32_t i = 0; vpc && i < snap->n_dbs; i++)
        if (streq(snap->dbs[i]->vpc_id, id))
            add_db(r, snap->dbs[i]);
    bool any = r->out->n_enis + r->out->n_tasks + r->out->n_lbs + r->out->n_dbs > before;
    if (!any && !r->note)
        r->note = sgr_arena_printf(r->a, "%s has no network interface in the snapshot", id);
    return any;
}

static void add_service(rctx *r, sgr_service *svc)
{
    const sgr_snapshot *snap = r->snap;
    uint32_t before = r->out->n_tasks;
    for (uint32_t i = 0; i < svc->n_tasks; i++)
        add_task(r, svc->tasks[i]);
    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        sgr_task *t = snap->tasks[i];
        /* Tasks name their service in `group` ("service:NAME") within a cluster. */
        bool by_group = !t->service && t->group && strncmp(t->group, "service:", 8) == 0 &&
                        streq(t->group + 8, svc->name) &&
                        (!svc->cluster_arn || streq(t->cluster_arn, svc->cluster_arn));
        if (t->service == svc || by_group)
            add_task(r, t);
    }
    if (r->out->n_tasks == before && !r->note)
        r->note = sgr_arena_printf(r->a, "service %s has no tasks in the snapshot "
                                         "(aws ecs describe-tasks)", svc->name ? svc->name : svc->arn);
}

static void add_address(rctx *r, const sgr_prefix *p);

/* Tasks of a service that describe-services did not describe: their `group`
 * ("service:NAME") names it, within their cluster. `id` is a name (cluster
 * by name or ARN in `cluster`, NULL: any) or a service ARN
 * (…:service/CLUSTER/NAME, the long form). */
static void add_group_tasks(rctx *r, const char *id, const char *cluster)
{
    const char *name = id, *arn_cluster = NULL;
    size_t arn_cluster_len = 0;
    if (strncmp(id, "arn:", 4) == 0) {
        const char *res = strstr(id, ":service/");
        const char *slash = res ? strrchr(id, '/') : NULL;
        if (!res || slash == res + 8)
            return; /* the short ARN form names no cluster: only describe-services can tell */
        name = slash + 1;
        arn_cluster = res + 9;
        arn_cluster_len = (size_t)(slash - arn_cluster);
    }
    for (uint32_t i = 0; i < r->snap->n_tasks; i++) {
        sgr_task *t = r->snap->tasks[i];
        if (t->service || !t->group || strncmp(t->group, "service:", 8) != 0 || !streq(t->group + 8, name))
            continue;
        const char *tc = sgr_sel_cluster_name(t->cluster_arn);
        if (cluster && !streq(t->cluster_arn, cluster) && !streq(tc, cluster))
            continue;
        if (arn_cluster && (!tc || strlen(tc) != arn_cluster_len || strncmp(tc, arn_cluster, arn_cluster_len) != 0))
            continue;
        add_task(r, t);
    }
}

/* Whether a bridge/host task's network bindings publish `port` on its host. */
static bool binds_host_port(const sgr_task *k, int32_t port)
{
    for (uint32_t c = 0; c < k->n_containers; c++)
        for (uint32_t b = 0; b < k->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &k->containers[c].bindings[b];
            int32_t hi = nb->host_port_end > nb->host_port ? nb->host_port_end : nb->host_port;
            if (port >= nb->host_port && port <= hi)
                return true;
        }
    return false;
}

/* A registered target: the interface or task that receives its traffic. */
static void add_target(rctx *r, const sgr_target_group *tg, const sgr_target *t)
{
    const sgr_snapshot *snap = r->snap;
    if (t->eni) {
        add_eni(r, t->eni);
        return;
    }
    if (t->instance) {
        /* Bridge and host tasks registered by host port: the task, not the instance. */
        int32_t port = t->port >= 0 ? t->port : tg->port;
        bool task = false;
        for (uint32_t i = 0; i < snap->n_tasks; i++)
            if (snap->tasks[i]->instance == t->instance && binds_host_port(snap->tasks[i], port)) {
                add_task(r, snap->tasks[i]);
                task = true;
            }
        if (!task) {
            if (t->instance->primary_eni)
                add_eni(r, t->instance->primary_eni);
            else
                add_instance(r, t->instance);
        }
        return;
    }
    if (!t->id)
        return;
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        if (streq(snap->lbs[i]->arn, t->id)) { /* an ALB registered in an NLB's group */
            add_lb(r, snap->lbs[i]);
            return;
        }
    sgr_prefix p = {0};
    if (sgr_parse_ip(t->id, &p.ip)) {
        p.len = p.ip.family == SGR_AF_INET ? 32 : 128;
        add_address(r, &p);
    }
}

static void add_target_group(rctx *r, const sgr_target_group *tg)
{
    uint32_t before = r->out->n_enis + r->out->n_tasks + r->out->n_lbs + r->out->n_cidrs;
    for (uint32_t i = 0; i < tg->n_targets; i++)
        add_target(r, tg, &tg->targets[i]);
    if (r->out->n_enis + r->out->n_tasks + r->out->n_lbs + r->out->n_cidrs == before && !r->note)
        r->note = sgr_arena_printf(r->a, "target group %s has no registered targets in the "
                                         "snapshot%s", tg->name ? tg->name : tg->arn,
                                   tg->targets_known ? "" : " (aws elbv2 describe-target-health)");
}

/* An address that is one of an interface's (or in one of its delegated
 * prefixes) selects it; otherwise it is a CIDR. */
static void add_address(rctx *r, const sgr_prefix *p)
{
    const sgr_snapshot *snap = r->snap;
    bool hit = false;
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        sgr_eni *e = snap->enis[i];
        bool mine = false;
        for (uint32_t k = 0; !mine && k < e->n_private_ips; k++)
            mine = ip_eq(&e->private_ips[k], &p->ip);
        for (uint32_t k = 0; !mine && k < e->n_ipv6; k++)
            mine = ip_eq(&e->ipv6[k], &p->ip);
        for (uint32_t k = 0; !mine && k < e->n_public_ips; k++)
            mine = ip_eq(&e->public_ips[k].ip, &p->ip);
        /* an address of a delegated prefix (a pod's, a task's) is the interface */
        for (uint32_t k = 0; !mine && k < e->n_prefixes; k++)
            mine = sgr_prefix_contains(&e->prefixes[k], &p->ip);
        if (mine) {
            add_eni(r, e);
            hit = true;
        }
    }
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        for (uint32_t k = 0; k < snap->lbs[i]->n_addresses; k++)
            if (ip_eq(&snap->lbs[i]->addresses[k], &p->ip)) {
                add_lb(r, snap->lbs[i]);
                hit = true;
            }
    for (uint32_t i = 0; i < snap->n_tasks; i++)
        if (!snap->tasks[i]->eni && ip_eq(&snap->tasks[i]->private_ip, &p->ip)) {
            add_task(r, snap->tasks[i]);
            hit = true;
        }
    for (uint32_t i = 0; i < snap->n_dbs; i++)
        if (ip_eq(&snap->dbs[i]->address, &p->ip)) {
            add_db(r, snap->dbs[i]);
            hit = true;
        }
    if (!hit)
        add_cidr(r, *p);
}

/* ------------------------------------------------------------------ CIDRs */

/* The parts of p outside every VPC CIDR of the snapshot, as the fewest
 * prefixes: halves of p until each is inside a VPC (dropped) or clear of all. */
static void outside_vpcs(rctx *r, const sgr_prefix *p)
{
    bool holds_one = false;
    for (uint32_t i = 0; i < r->snap->n_vpcs; i++)
        for (uint32_t k = 0; k < r->snap->vpcs[i]->n_cidrs; k++) {
            const sgr_prefix *c = &r->snap->vpcs[i]->cidrs[k];
            if (sgr_prefix_covers(c, p))
                return;
            holds_one |= sgr_prefix_covers(p, c);
        }
    if (!holds_one) {
        add_cidr(r, *p);
        return;
    }
    sgr_prefix lo = *p, hi = *p; /* holds_one: p is shorter than a VPC's CIDR, so it can be halved */
    lo.len = hi.len = (uint8_t)(p->len + 1);
    hi.ip.b[p->len / 8] |= (uint8_t)(0x80u >> (p->len % 8));
    outside_vpcs(r, &lo);
    outside_vpcs(r, &hi);
}

/* A CIDR stands for every address in it. Inside one subnet it is a host of
 * that subnet that no interface of the snapshot describes (its groups
 * unknown); one that holds subnets stands for such a host of each, and for
 * its addresses outside every VPC (as an outside source), and not for the
 * addresses of a VPC that no subnet holds (no host can have them). Taken
 * whole, by its first address, 10.0.0.0/16 was "in none of its VPC's subnets:
 * no host has it" and every answer from it unreachable, where 10.0.1.0/24
 * inside it answered unknown. */
static void add_cidr_pieces(rctx *r, const sgr_prefix *p)
{
    const sgr_snapshot *snap = r->snap;
    for (uint32_t i = 0; i < snap->n_subnets; i++) {
        const sgr_subnet *sn = snap->subnets[i];
        bool inside = sgr_prefix_covers(&sn->cidr4, p);
        for (uint32_t k = 0; !inside && k < sn->n_cidrs6; k++)
            inside = sgr_prefix_covers(&sn->cidrs6[k], p);
        if (inside) {
            add_cidr(r, *p);
            return;
        }
    }
    uint32_t before = r->out->n_cidrs;
    for (uint32_t i = 0; i < snap->n_subnets; i++) {
        const sgr_subnet *sn = snap->subnets[i];
        if (sgr_prefix_covers(p, &sn->cidr4))
            add_cidr(r, sn->cidr4);
        for (uint32_t k = 0; k < sn->n_cidrs6; k++)
            if (sgr_prefix_covers(p, &sn->cidrs6[k]))
                add_cidr(r, sn->cidrs6[k]);
    }
    outside_vpcs(r, p);
    if (r->out->n_cidrs == before) /* only addresses that no subnet holds: the answer says so */
        add_cidr(r, *p);
}

/* ------------------------------------------------------------------ forms */

/* Matches `value` against the selector's literal (arg / arg2) or regex. */
static bool text_match(rctx *r, const char *literal, const char *value)
{
    if (!value || r->out->error)
        return false;
    if (!r->s->re)
        return strcmp(literal, value) == 0;
    const char *err = NULL;
    int m = sgr_sel_match(r->s, r->md, r->mc, value, r->a, &err);
    if (m < 0)
        r->out->error = err;
    return m == 1;
}

static bool tags_match(rctx *r, const sgr_tags *tags)
{
    for (uint32_t i = 0; i < tags->count; i++)
        if (streq(tags->items[i].key, r->s->arg) && text_match(r, r->s->arg2, tags->items[i].value))
            return true;
    return false;
}

static const char *tag_name(const sgr_tags *tags)
{
    for (uint32_t i = 0; i < tags->count; i++)
        if (streq(tags->items[i].key, "Name"))
            return tags->items[i].value;
    return NULL;
}

/* Terraform: `aws_subnet.private` names every instance (`[0]`, `["a"]`); a
 * module path names every resource inside it. */
static bool tf_match(const char *want, const char *have)
{
    if (!have)
        return false;
    size_t n = strlen(want);
    if (strncmp(want, have, n) != 0)
        return false;
    if (have[n] == '\0' || have[n] == '[')
        return true;
    if (have[n] != '.')
        return false;
    /* `module.a.module.b` or `module.a["x"]`: the last step is a module call. */
    const char *last = want;
    for (const char *p = strstr(want, "module."); p; p = strstr(p + 1, "module."))
        if (p == want || p[-1] == '.' || p[-1] == ']')
            last = p;
    return strncmp(last, "module.", 7) == 0 && !strchr(last + 7, '.');
}

/* The forms that name objects by tag, name or Terraform address: each object
 * of the model that matches expands as its id selector would. */
static void by_attribute(rctx *r)
{
    const sgr_snapshot *snap = r->snap;
    const sgr_selector *s = r->s;
    bool tag = s->form == SGR_SEL_TAG_EQ || s->form == SGR_SEL_TAG_RE;
    bool tf = s->form == SGR_SEL_TF;
    const char *lit = s->arg;
#define HIT(obj, name_)                                                                           \
    (tag ? tags_match(r, &(obj)->tags)                                                             \
     : tf ? tf_match(lit, (obj)->origin.tf_address)                                                \
          : text_match(r, lit, (name_)))
#define HIT_NOTAGS(obj, name_) (tag ? false : tf ? tf_match(lit, (obj)->origin.tf_address) \
                                                 : text_match(r, lit, (name_)))
    for (uint32_t i = 0; i < snap->n_enis; i++)
        if (HIT(snap->enis[i], snap->enis[i]->name))
            add_eni(r, snap->enis[i]);
    for (uint32_t i = 0; i < snap->n_instances; i++)
        if (HIT(snap->instances[i], snap->instances[i]->name))
            add_instance(r, snap->instances[i]);
    for (uint32_t i = 0; i < snap->n_sgs; i++) {
        const sgr_sg *sg = snap->sgs[i];
        if (HIT(sg, sg->name) || (!tag && !tf && text_match(r, lit, tag_name(&sg->tags))))
            add_sg(r, sg);
    }
    for (uint32_t i = 0; i < snap->n_subnets; i++)
        if (HIT(snap->subnets[i], snap->subnets[i]->name))
            add_in(r, snap->subnets[i]->id, false);
    for (uint32_t i = 0; i < snap->n_vpcs; i++)
        if (HIT(snap->vpcs[i], snap->vpcs[i]->name))
            add_in(r, snap->vpcs[i]->id, true);
    for (uint32_t i = 0; i < snap->n_tasks; i++)
        if (tag ? tags_match(r, &snap->tasks[i]->tags)
                : tf && (tf_match(lit, snap->tasks[i]->origin.tf_address) || streq(lit, snap->tasks[i]->id)))
            add_task(r, snap->tasks[i]);
    for (uint32_t i = 0; i < snap->n_services; i++)
        if (HIT(snap->services[i], snap->services[i]->name))
            add_service(r, snap->services[i]);
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        if (HIT_NOTAGS(snap->lbs[i], snap->lbs[i]->name))
            add_lb(r, snap->lbs[i]);
    for (uint32_t i = 0; i < snap->n_target_groups; i++)
        if (HIT_NOTAGS(snap->target_groups[i], snap->target_groups[i]->name))
            add_target_group(r, snap->target_groups[i]);
    for (uint32_t i = 0; i < snap->n_dbs; i++)
        if (HIT_NOTAGS(snap->dbs[i], snap->dbs[i]->id))
            add_db(r, snap->dbs[i]);
#undef HIT
#undef HIT_NOTAGS
}

static void by_form(rctx *r)
{
    const sgr_snapshot *snap = r->snap;
    const sgr_selector *s = r->s;
    const char *id = s->arg;
    switch (s->form) {
    case SGR_SEL_INTERNET:
        r->out->internet = true;
        break;
    case SGR_SEL_ADDR:
        if (s->host)
            add_address(r, &s->prefix);
        else
            add_cidr_pieces(r, &s->prefix);
        break;
    case SGR_SEL_ENI: {
        bool found = false;
        for (uint32_t i = 0; i < snap->n_enis; i++)
            if (streq(snap->enis[i]->id, id)) {
                add_eni(r, snap->enis[i]);
                found = true;
            }
        for (uint32_t i = 0; !found && i < snap->n_tasks; i++)
            if (streq(snap->tasks[i]->eni_id, id))
                add_task(r, snap->tasks[i]);
        break;
    }
    case SGR_SEL_INSTANCE:
        for (uint32_t i = 0; i < snap->n_instances; i++)
            if (streq(snap->instances[i]->id, id))
                add_instance(r, snap->instances[i]);
        break;
    case SGR_SEL_SG: {
        const sgr_sg *known = NULL;
        for (uint32_t i = 0; i < snap->n_sgs; i++)
            if (streq(snap->sgs[i]->id, id))
                known = snap->sgs[i];
        if (known)
            add_sg(r, known);
        else
            sg_carried(r, id); /* referenced by interfaces but never described */
        break;
    }
    case SGR_SEL_SUBNET:
    case SGR_SEL_VPC: {
        bool vpc = s->form == SGR_SEL_VPC;
        bool known = false;
        for (uint32_t i = 0; !vpc && i < snap->n_subnets; i++)
            known = known || streq(snap->subnets[i]->id, id);
        for (uint32_t i = 0; vpc && i < snap->n_vpcs; i++)
            known = known || streq(snap->vpcs[i]->id, id);
        const char *note = r->note;
        if (!add_in(r, id, vpc) && !known)
            r->note = note; /* unknown id: suggest names instead */
        break;
    }
    case SGR_SEL_TASK:
        for (uint32_t i = 0; i < snap->n_tasks; i++)
            if (streq(snap->tasks[i]->id, id) || streq(snap->tasks[i]->arn, id))
                add_task(r, snap->tasks[i]);
        break;
    case SGR_SEL_SERVICE:
        for (uint32_t i = 0; i < snap->n_services; i++) {
            sgr_service *svc = snap->services[i];
            bool hit = strncmp(id, "arn:", 4) == 0
                           ? streq(svc->arn, id)
                           : streq(svc->name, id) &&
                                 (!s->arg2 || streq(svc->cluster_arn, s->arg2) ||
                                  streq(sgr_sel_cluster_name(svc->cluster_arn), s->arg2));
            if (hit)
                add_service(r, svc);
        }
        add_group_tasks(r, id, s->arg2);
        break;
    case SGR_SEL_LB:
        for (uint32_t i = 0; i < snap->n_lbs; i++)
            if (strncmp(id, "arn:", 4) == 0 ? streq(snap->lbs[i]->arn, id)
                                            : streq(snap->lbs[i]->name, id))
                add_lb(r, snap->lbs[i]);
        break;
    case SGR_SEL_TG:
        for (uint32_t i = 0; i < snap->n_target_groups; i++)
            if (streq(snap->target_groups[i]->arn, id))
                add_target_group(r, snap->target_groups[i]);
        break;
    case SGR_SEL_DB:
        for (uint32_t i = 0; i < snap->n_dbs; i++)
            if (streq(snap->dbs[i]->id, id))
                add_db(r, snap->dbs[i]);
        break;
    case SGR_SEL_CACHE:
        add_cache(r, id);
        break;
    case SGR_SEL_FUNCTION:
        add_function(r, id);
        break;
    case SGR_SEL_ENDPOINT:
        for (uint32_t i = 0; i < snap->n_vpc_endpoints; i++)
            if (endpoint_named(snap->vpc_endpoints[i], id))
                add_endpoint(r, snap->vpc_endpoints[i]);
        break;
    case SGR_SEL_PREFIX_LIST:
        for (uint32_t i = 0; i < snap->n_prefix_lists; i++)
            if (streq(snap->prefix_lists[i]->id, id))
                add_prefix_list(r, snap->prefix_lists[i]);
        break;
    case SGR_SEL_AWS:
        add_aws_service(r, id);
        break;
    case SGR_SEL_TAG_EQ:
    case SGR_SEL_TAG_RE:
    case SGR_SEL_NAME_EQ:
    case SGR_SEL_NAME_RE:
    case SGR_SEL_TF:
        by_attribute(r);
        break;
    }
}

/* ------------------------------------------------------------------ order */

static int cmp_str(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "");
}

/* Ties (two objects with one id, which merging prevents) fall back to the
 * address so that duplicates of one object end up adjacent. */
#define CMP_BY(fn, type, key)                                                                     \
    static int fn(const void *pa, const void *pb)                                                 \
    {                                                                                             \
        const type *x = *(const type *const *)pa, *y = *(const type *const *)pb;                  \
        int c = cmp_str(key(x), key(y));                                                          \
        return c ? c : (x < y ? -1 : x > y);                                                      \
    }
#define ENI_KEY(e) ((e)->id)
#define TASK_KEY(t) ((t)->arn ? (t)->arn : (t)->id)
#define LB_KEY(l) ((l)->arn ? (l)->arn : (l)->name)
#define DB_KEY(d) ((d)->id)
CMP_BY(cmp_eni, sgr_eni, ENI_KEY)
CMP_BY(cmp_task, sgr_task, TASK_KEY)
CMP_BY(cmp_lb, sgr_lb, LB_KEY)
CMP_BY(cmp_db, sgr_db, DB_KEY)

static int cmp_prefix(const void *pa, const void *pb)
{
    const sgr_prefix *x = pa, *y = pb;
    if (x->ip.family != y->ip.family)
        return x->ip.family < y->ip.family ? -1 : 1;
    int c = memcmp(x->ip.b, y->ip.b, sizeof x->ip.b);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static uint32_t uniq_ptrs(void **v, uint32_t n, int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return n;
    qsort(v, n, sizeof *v, cmp);
    uint32_t k = 1;
    for (uint32_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

static void normalise(sgr_selection *o)
{
    o->n_enis = uniq_ptrs((void **)o->enis, o->n_enis, cmp_eni);
    o->n_tasks = uniq_ptrs((void **)o->tasks, o->n_tasks, cmp_task);
    o->n_lbs = uniq_ptrs((void **)o->lbs, o->n_lbs, cmp_lb);
    o->n_dbs = uniq_ptrs((void **)o->dbs, o->n_dbs, cmp_db);
    if (o->n_cidrs > 1) {
        qsort(o->cidrs, o->n_cidrs, sizeof *o->cidrs, cmp_prefix);
        uint32_t k = 1;
        for (uint32_t i = 1; i < o->n_cidrs; i++)
            if (cmp_prefix(&o->cidrs[i], &o->cidrs[k - 1]) != 0)
                o->cidrs[k++] = o->cidrs[i];
        o->n_cidrs = k;
    }
}

uint32_t sgr_selector_resolve(const sgr_selector *s, const sgr_snapshot *snap, sgr_arena *a,
                              sgr_selection *out, const char **suggest)
{
    memset(out, 0, sizeof *out);
    if (suggest)
        *suggest = NULL;
    rctx r = {.s = s, .snap = snap, .a = a, .out = out};
    if (s->re) {
        r.md = pcre2_match_data_create_from_pattern(s->re, NULL);
        if (!r.md)
            sgr_oom();
        r.mc = sgr_sel_match_context();
    }
    by_form(&r);
    if (r.md) {
        pcre2_match_data_free(r.md);
        pcre2_match_context_free(r.mc);
    }
    if (out->error) {
        const char *error = out->error;
        memset(out, 0, sizeof *out);
        out->error = error;
        return 0;
    }
    normalise(out);
    uint32_t n = (out->internet ? 1u : 0u) + out->n_cidrs + out->n_enis + out->n_tasks +
                 out->n_lbs + out->n_dbs;
    if (n == 0 && suggest)
        *suggest = r.note ? r.note : sgr_sel_suggest(s, snap, a);
    return n;
}
