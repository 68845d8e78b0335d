/*
 * The object registry: one vector per kind in the snapshot (first-seen order,
 * which is deterministic because files are read in sorted order) and one
 * string map (kind, id) → object, so the same resource seen twice is merged;
 * and the snapshot's one copy of every string (sgr_intern).
 */
#include <stddef.h>
#include <string.h>

#include "load/import.h"
#include "load/snapshot_int.h"

typedef struct kind_info {
    const char *name;
    size_t vec, n, cap; /* offsets of the kind's vector fields in sgr_snapshot */
} kind_info;

#define KIND(k, field, label)                                                                   \
    [k] = {label, offsetof(sgr_snapshot, field), offsetof(sgr_snapshot, n_##field),             \
           offsetof(sgr_snapshot, cap_##field)}

static const kind_info KINDS[SGR_KIND_COUNT] = {
    KIND(SGR_KIND_VPC, vpcs, "vpcs"),
    KIND(SGR_KIND_SUBNET, subnets, "subnets"),
    KIND(SGR_KIND_ROUTE_TABLE, route_tables, "route_tables"),
    KIND(SGR_KIND_IGW, igws, "internet_gateways"),
    KIND(SGR_KIND_NAT, nats, "nat_gateways"),
    KIND(SGR_KIND_PEERING, peerings, "vpc_peering_connections"),
    KIND(SGR_KIND_NACL, nacls, "network_acls"),
    KIND(SGR_KIND_PREFIX_LIST, prefix_lists, "prefix_lists"),
    KIND(SGR_KIND_SG, sgs, "security_groups"),
    KIND(SGR_KIND_ENI, enis, "network_interfaces"),
    KIND(SGR_KIND_INSTANCE, instances, "instances"),
    KIND(SGR_KIND_VPC_ENDPOINT, vpc_endpoints, "vpc_endpoints"),
    KIND(SGR_KIND_TGW_ATTACHMENT, tgw_attachments, "transit_gateway_attachments"),
    KIND(SGR_KIND_TGW_ROUTE_TABLE, tgw_route_tables, "transit_gateway_route_tables"),
    KIND(SGR_KIND_TGW, tgws, "transit_gateways"),
    KIND(SGR_KIND_DB, dbs, "databases"),
    KIND(SGR_KIND_TASK_DEF, task_defs, "task_definitions"),
    KIND(SGR_KIND_TASK, tasks, "tasks"),
    KIND(SGR_KIND_CONTAINER_INSTANCE, container_instances, "container_instances"),
    KIND(SGR_KIND_SERVICE, services, "services"),
    KIND(SGR_KIND_LB, lbs, "load_balancers"),
    KIND(SGR_KIND_TARGET_GROUP, target_groups, "target_groups"),
    KIND(SGR_KIND_LISTENER, listeners, "listeners"),
    KIND(SGR_KIND_ENDPOINT_SERVICE, endpoint_services, "endpoint_services"),
    KIND(SGR_KIND_ENDPOINT_CONNECTION, endpoint_connections, "endpoint_connections"),
    KIND(SGR_KIND_CACHE, caches, "cache_clusters"),
    KIND(SGR_KIND_FUNCTION, functions, "lambda_functions"),
};

const char *sgr_kind_name(sgr_kind kind)
{
    return (unsigned)kind < SGR_KIND_COUNT ? KINDS[kind].name : "unknown";
}

uint32_t sgr_snapshot_count(const sgr_snapshot *snap, sgr_kind kind)
{
    if ((unsigned)kind >= SGR_KIND_COUNT)
        return 0;
    return *(const uint32_t *)((const char *)snap + KINDS[kind].n);
}

void *sgr_snapshot_find(const sgr_snapshot *snap, sgr_kind kind, const char *id)
{
    if (!snap || !id || (unsigned)kind >= SGR_KIND_COUNT)
        return NULL;
    return sgr_strmap_get(snap->index->objects, (uint32_t)kind, id);
}

/* What a new object holds before a description says more, for the kinds
 * where that is not all zeroes: the numbers the model keeps at -1 for "not
 * known" (a zero would be a claim: port 0, no addresses left), and an
 * interface's source/destination check, on unless AWS says otherwise. Whoever
 * makes the object then fills what it knows. */
static const struct {
    const void *v;
    size_t size;
} BLANK[SGR_KIND_COUNT] = {
    [SGR_KIND_SUBNET] = {&(const sgr_subnet){.available_ips = -1}, sizeof(sgr_subnet)},
    [SGR_KIND_PREFIX_LIST] = {&(const sgr_prefix_list){.max_entries = -1}, sizeof(sgr_prefix_list)},
    [SGR_KIND_ENI] = {&(const sgr_eni){.device_index = -1, .source_dest_check = true}, sizeof(sgr_eni)},
    [SGR_KIND_TGW_ATTACHMENT] = {&(const sgr_tgw_attachment){.sg_referencing = -1}, sizeof(sgr_tgw_attachment)},
    [SGR_KIND_TGW] = {&(const sgr_tgw){.sg_referencing = -1}, sizeof(sgr_tgw)},
    [SGR_KIND_DB] = {&(const sgr_db){.port = -1}, sizeof(sgr_db)},
    [SGR_KIND_SERVICE] = {&(const sgr_service){.desired_count = -1}, sizeof(sgr_service)},
    [SGR_KIND_TARGET_GROUP] = {&(const sgr_target_group){.preserve_client_ip = -1, .port = -1}, sizeof(sgr_target_group)},
};

void *sgr_snap_intern(sgr_snapshot *snap, sgr_kind kind, const char *id, size_t size, bool *is_new)
{
    void *obj = sgr_strmap_get(snap->index->objects, (uint32_t)kind, id);
    if (obj) {
        if (is_new)
            *is_new = false;
        return obj;
    }
    if (is_new)
        *is_new = true;
    obj = sgr_arena_alloc(snap->arena, size);
    if (BLANK[kind].v) /* size is the kind's struct's for every caller; never read past the blank */
        memcpy(obj, BLANK[kind].v, size < BLANK[kind].size ? size : BLANK[kind].size);
    const char *copy = sgr_intern(snap, id);
    /* Every model struct starts with its id (or ARN). A classic load balancer
     * is registered as "name:NAME" and has no ARN: its first field stays NULL. */
    if (!(kind == SGR_KIND_LB && strncmp(id, "name:", 5) == 0))
        *(const char **)obj = copy;
    sgr_strmap_put(snap->index->objects, (uint32_t)kind, copy, obj);
    const kind_info *k = &KINDS[kind];
    void ***vec = (void ***)((char *)snap + k->vec);
    uint32_t *n = (uint32_t *)((char *)snap + k->n);
    uint32_t *cap = (uint32_t *)((char *)snap + k->cap);
    if (*n == *cap)
        *vec = sgr_arena_grow(snap->arena, *vec, cap, *n + 1, sizeof(void *));
    (*vec)[(*n)++] = obj;
    return obj;
}

void sgr_snap_alias(sgr_snapshot *snap, sgr_kind kind, const char *key, void *obj)
{
    if (!key || !obj)
        return;
    const char *k = sgr_intern(snap, key);
    sgr_strmap_put(snap->index->objects, (uint32_t)kind, k, obj);
    struct sgr_index *ix = snap->index;
    if (ix->n_aliases == ix->cap_aliases)
        ix->aliases = sgr_arena_grow(snap->arena, ix->aliases, &ix->cap_aliases, ix->n_aliases + 1,
                                     sizeof *ix->aliases);
    ix->aliases[ix->n_aliases++] = (struct sgr_alias){(uint32_t)kind, k, obj};
}

void sgr_snap_remove(sgr_snapshot *snap, sgr_kind kind, const char *id)
{
    void *obj = sgr_strmap_get(snap->index->objects, (uint32_t)kind, id);
    if (!obj)
        return;
    /* The map cannot delete: a NULL value reads as absent. Aliases go too. */
    sgr_strmap_put(snap->index->objects, (uint32_t)kind, id, NULL);
    const char *own_id = *(const char **)obj; /* found by an alias: the id goes too */
    if (own_id)
        sgr_strmap_put(snap->index->objects, (uint32_t)kind, own_id, NULL);
    struct sgr_index *ix = snap->index;
    for (uint32_t i = 0; i < ix->n_aliases; i++)
        if (ix->aliases[i].obj == obj && ix->aliases[i].kind == (uint32_t)kind)
            sgr_strmap_put(ix->objects, ix->aliases[i].kind, ix->aliases[i].key, NULL);
    const kind_info *k = &KINDS[kind];
    void **vec = *(void ***)((char *)snap + k->vec);
    uint32_t *n = (uint32_t *)((char *)snap + k->n);
    for (uint32_t i = 0; i < *n; i++) {
        if (vec[i] == obj) {
            memmove(&vec[i], &vec[i + 1], (size_t)(*n - i - 1) * sizeof *vec);
            (*n)--;
            break;
        }
    }
}

/* Strings up to this length are interned: ids, states and types repeat a lot
 * (every ENI names its VPC, subnet and groups) and sharing them saves memory. */
#define SGR_INTERN_MAX 96

const char *sgr_intern(sgr_snapshot *snap, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > SGR_INTERN_MAX)
        return sgr_arena_strndup(snap->arena, s, n);
    return sgr_strmap_intern(snap->index->strings, 0, s, n);
}
