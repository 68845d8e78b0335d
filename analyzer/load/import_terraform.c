/*
 * Terraform plan and state JSON (`terraform show -json`) as a snapshot source.
 *
 * The loader calls sgr_import_terraform() after every AWS CLI document, so a
 * plan is laid over live dumps: resources the plan creates are added, those it
 * updates replace their live version (matched by id), those it destroys are
 * removed, and those it leaves alone (no-op) keep their live state. Alone, a
 * plan stands on its prior state plus its changes. See docs/terraform.md.
 *
 * This file flattens the document into resource instances (sgr_tf_res), gives
 * each a canonical id, and runs the converters in dependency order (VPCs before
 * subnets before groups before interfaces ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/import_terraform.h"

/* ---------------------------------------------------------------- the type table */

typedef struct tf_type {
    const char *type;
    int pass;               /* converters run pass by pass, in document order within one */
    sgr_tf_convert_fn fn;
    int kind;               /* the model kind its id names (-1: none) */
} tf_type;

static const tf_type TYPES[] = {
    {"aws_vpc", 0, sgr_tf_vpc, SGR_KIND_VPC},
    {"aws_default_vpc", 0, sgr_tf_vpc, SGR_KIND_VPC},
    {"aws_subnet", 1, sgr_tf_subnet, SGR_KIND_SUBNET},
    {"aws_default_subnet", 1, sgr_tf_subnet, SGR_KIND_SUBNET},
    {"aws_internet_gateway", 2, sgr_tf_igw, SGR_KIND_IGW},
    {"aws_nat_gateway", 2, sgr_tf_nat, SGR_KIND_NAT},
    {"aws_vpc_peering_connection", 2, sgr_tf_peering, SGR_KIND_PEERING},
    {"aws_route_table", 3, sgr_tf_route_table, SGR_KIND_ROUTE_TABLE},
    {"aws_default_route_table", 3, sgr_tf_route_table, SGR_KIND_ROUTE_TABLE},
    {"aws_route", 4, sgr_tf_route, -1},
    {"aws_route_table_association", 4, sgr_tf_route_assoc, -1},
    {"aws_main_route_table_association", 4, sgr_tf_main_route_assoc, -1},
    {"aws_network_acl", 5, sgr_tf_nacl, SGR_KIND_NACL},
    {"aws_default_network_acl", 5, sgr_tf_nacl, SGR_KIND_NACL},
    {"aws_network_acl_rule", 6, sgr_tf_nacl_rule, -1},
    {"aws_network_acl_association", 6, sgr_tf_nacl_assoc, -1},
    {"aws_security_group", 7, sgr_tf_sg, SGR_KIND_SG},
    {"aws_default_security_group", 7, sgr_tf_sg, SGR_KIND_SG},
    {"aws_security_group_rule", 8, sgr_tf_sg_rule, -1},
    {"aws_vpc_security_group_ingress_rule", 8, sgr_tf_vpc_sg_rule, -1},
    {"aws_vpc_security_group_egress_rule", 8, sgr_tf_vpc_sg_rule, -1},
    {"aws_network_interface", 9, sgr_tf_eni, SGR_KIND_ENI},
    {"aws_instance", 10, sgr_tf_instance, SGR_KIND_INSTANCE},
    {"aws_network_interface_sg_attachment", 11, sgr_tf_eni_sg_attachment, -1},
    {"aws_eip", 11, sgr_tf_eip, -1},
    {"aws_db_subnet_group", 12, sgr_tf_db_subnet_group, -1},
    {"aws_db_instance", 13, sgr_tf_db, SGR_KIND_DB},
    {"aws_rds_cluster", 13, sgr_tf_db, SGR_KIND_DB},
    {"aws_lb", 14, sgr_tf_lb, SGR_KIND_LB},
    {"aws_alb", 14, sgr_tf_lb, SGR_KIND_LB},
    {"aws_elb", 14, sgr_tf_elb, -1},
    {"aws_lb_target_group", 15, sgr_tf_target_group, SGR_KIND_TARGET_GROUP},
    {"aws_alb_target_group", 15, sgr_tf_target_group, SGR_KIND_TARGET_GROUP},
    {"aws_lb_listener", 16, sgr_tf_listener, SGR_KIND_LISTENER},
    {"aws_alb_listener", 16, sgr_tf_listener, SGR_KIND_LISTENER},
    {"aws_lb_target_group_attachment", 16, sgr_tf_tg_attachment, -1},
    {"aws_alb_target_group_attachment", 16, sgr_tf_tg_attachment, -1},
    {"aws_lb_listener_rule", 17, sgr_tf_listener_rule, -1},
    {"aws_alb_listener_rule", 17, sgr_tf_listener_rule, -1},
    {"aws_ecs_cluster", 17, sgr_tf_ecs_cluster, -1},
    {"aws_ecs_task_definition", 17, sgr_tf_task_def, SGR_KIND_TASK_DEF},
    {"aws_launch_template", 17, sgr_tf_launch_template, -1},
    {"aws_launch_configuration", 17, sgr_tf_launch_template, -1},
    {"aws_autoscaling_group", 18, sgr_tf_asg, -1},
    {"aws_ecs_capacity_provider", 18, sgr_tf_capacity_provider, -1},
    {"aws_ecs_cluster_capacity_providers", 18, sgr_tf_cluster_capacity_providers, -1},
    {"aws_ecs_service", 20, sgr_tf_ecs_service, SGR_KIND_SERVICE},
};
#define HOSTS_PASS 19
#define N_PASSES 21

/* Types whose id in the model is their ARN (Terraform's `id` is the ARN too,
 * except for task definitions, whose `id` is the family). */
static bool arn_keyed(const char *type)
{
    static const char *const T[] = {"aws_lb", "aws_alb", "aws_lb_target_group", "aws_alb_target_group",
                                    "aws_lb_listener", "aws_alb_listener", "aws_ecs_cluster",
                                    "aws_ecs_service", "aws_ecs_task_definition",
                                    "aws_ecs_capacity_provider", "aws_autoscaling_group"};
    for (size_t i = 0; i < sizeof T / sizeof *T; i++)
        if (strcmp(T[i], type) == 0)
            return true;
    return false;
}

static const tf_type *type_info(const char *type)
{
    for (size_t i = 0; i < sizeof TYPES / sizeof *TYPES; i++)
        if (strcmp(TYPES[i].type, type) == 0)
            return &TYPES[i];
    return NULL;
}

/* ---------------------------------------------------------------- flattening */

static const char *known_str(const json_t *vals, const json_t *unk, const char *key)
{
    const json_t *v = json_object_get(vals, key);
    if (json_is_true(json_object_get(unk, key)) || !json_is_string(v) || !*json_string_value(v))
        return NULL;
    return json_string_value(v);
}

static void add_base(sgr_tf *tf, sgr_tf_res *r)
{
    const char *key = sgr_arena_printf(tf->a, "%s|%s", r->module, r->base);
    sgr_tf_list *l = sgr_tf_map_list(tf, SGR_TFM_BASE, key, sizeof *l);
    if (l->n == l->cap)
        l->items = sgr_arena_grow(tf->a, l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = r;
}

/* Registers every module instance on the path: "parent|call" → instance path. */
static void add_modules(sgr_tf *tf, const char *module)
{
    const char *p = module, *q, *name_end;
    while ((q = sgr_tf_module_step(p, &name_end))) {
        const char *parent = p == module ? "" : sgr_arena_strndup(tf->a, module, (size_t)(p - module - 1));
        const char *call = sgr_arena_strndup(tf->a, p + 7, (size_t)(name_end - p - 7));
        const char *key = sgr_arena_printf(tf->a, "%s|%s", parent, call);
        sgr_tf_strlist *l = sgr_tf_map_list(tf, SGR_TFM_MODULE, key, sizeof *l);
        sgr_tf_strlist_add(tf->a, l, sgr_arena_strndup(tf->a, module, (size_t)(q - module)));
        if (*q != '.')
            break;
        p = q + 1;
    }
}

static const json_t *find_config(const sgr_tf *tf, const sgr_tf_res *r)
{
    const json_t *m = sgr_tf_config_module(tf, r->module);
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(m, "resources"), i, c) {
        const char *addr = json_string_value(json_object_get(c, "address"));
        if (addr && strcmp(addr, r->base) == 0)
            return c;
    }
    return NULL;
}

static sgr_tf_res *add_res(sgr_tf *tf, const json_t *node, const char *path, const char *module_prefix,
                           sgr_tf_action action, const json_t *after, const json_t *unknown, const json_t *before)
{
    const char *address = json_string_value(json_object_get(node, "address"));
    /* Terraform 0.12 printed child-module resources of prior_state with
     * module-relative addresses: make them absolute. */
    if (address && module_prefix && *module_prefix && strncmp(address, "module.", 7) != 0)
        address = sgr_arena_printf(tf->a, "%s.%s", module_prefix, address);
    const char *type = json_string_value(json_object_get(node, "type"));
    const char *name = json_string_value(json_object_get(node, "name"));
    if (!address || !type || !name) {
        sgr_import_warn(tf->ctx, node, path, "Terraform resource without address, type or name: skipped");
        return NULL;
    }
    if (sgr_tf_find(tf, address))
        return NULL;
    if (tf->n_res == tf->cap_res)
        tf->res = sgr_arena_grow(tf->a, tf->res, &tf->cap_res, tf->n_res + 1, sizeof *tf->res);
    sgr_tf_res *r = &tf->res[tf->n_res++];
    memset(r, 0, sizeof *r);
    r->address = sgr_arena_strdup(tf->a, address);
    r->type = sgr_arena_strdup(tf->a, type);
    r->name = sgr_arena_strdup(tf->a, name);
    const char *mode = json_string_value(json_object_get(node, "mode"));
    r->data = mode && strcmp(mode, "data") == 0;
    r->index = json_object_get(node, "index");
    if (json_is_null(r->index))
        r->index = NULL;
    const char *rest;
    sgr_tf_split_address(tf->a, address, &r->module, &rest);
    char *base = sgr_arena_strdup(tf->a, rest);
    char *br = strchr(base, '[');
    if (br)
        *br = '\0';
    r->base = base;
    r->action = action;
    r->after = json_is_object(after) ? after : NULL;
    r->unknown = json_is_object(unknown) ? unknown : NULL;
    r->before = json_is_object(before) ? before : NULL;
    r->node = node;
    r->path = sgr_arena_strdup(tf->a, path);
    r->config = find_config(tf, r);
    const json_t *vals = r->after ? r->after : r->before;
    const char *id = NULL;
    if (arn_keyed(type))
        id = known_str(vals, r->after ? r->unknown : NULL, "arn");
    if (!id && strcmp(type, "aws_ecs_task_definition") != 0)
        id = known_str(vals, r->after ? r->unknown : NULL, "id");
    r->id_synthetic = id == NULL;
    r->id = id ? sgr_arena_strdup(tf->a, id) : r->address;
    if (!id && (!strcmp(type, "aws_lb") || !strcmp(type, "aws_alb"))) {
        /* The linker finds a balancer's interfaces by the ARN's tail
         * ("loadbalancer/app/NAME/ID"): a planned one gets an ARN of that
         * shape whose ID is its address. */
        const char *lbt = json_string_value(json_object_get(vals, "load_balancer_type"));
        const char *nm = json_string_value(json_object_get(vals, "name"));
        r->id = sgr_arena_printf(tf->a, "arn:aws:elasticloadbalancing:planned:planned:loadbalancer/%s/%s/%s",
                                 lbt && !strcmp(lbt, "network")   ? "net"
                                 : lbt && !strcmp(lbt, "gateway") ? "gwy"
                                                                  : "app",
                                 nm && *nm ? nm : name, address);
    }
    sgr_strmap_put(tf->map, SGR_TFM_ADDR, r->address, r);
    return r;
}

/* The default group, ACL and route table a VPC comes with: Terraform adopts
 * them (aws_default_*), so their id is the VPC's, never a new one. */
static void default_ids(sgr_tf *tf)
{
    for (uint32_t i = 0; i < tf->n_res; i++) {
        sgr_tf_res *r = &tf->res[i];
        if (!r->id_synthetic || r->data || !r->after)
            continue;
        const char *id = NULL;
        if (!strcmp(r->type, "aws_default_security_group")) {
            const char *vpc = sgr_tf_str(tf, sgr_tf_values(tf, r), "vpc_id");
            sgr_snapshot *snap = tf->ctx->snap;
            for (uint32_t k = 0; vpc && !id && k < snap->n_sgs; k++)
                if (snap->sgs[k]->vpc_id && !strcmp(snap->sgs[k]->vpc_id, vpc) && snap->sgs[k]->name &&
                    !strcmp(snap->sgs[k]->name, "default"))
                    id = snap->sgs[k]->id;
            if (vpc && !id)
                id = sgr_arena_printf(tf->a, "%s#default_security_group", vpc);
        } else if (!strcmp(r->type, "aws_default_network_acl")) {
            id = sgr_tf_str(tf, sgr_tf_values(tf, r), "default_network_acl_id");
        } else if (!strcmp(r->type, "aws_default_route_table")) {
            id = sgr_tf_str(tf, sgr_tf_values(tf, r), "default_route_table_id");
        }
        if (id) {
            r->id = id;
            sgr_strmap_put(tf->map, SGR_TFM_ID, r->id, r);
        }
    }
}

static void index_res(sgr_tf *tf)
{
    /* After all instances exist (the array no longer moves): the lookup maps. */
    for (uint32_t i = 0; i < tf->n_res; i++) {
        sgr_tf_res *r = &tf->res[i];
        sgr_strmap_put(tf->map, SGR_TFM_ADDR, r->address, r);
        add_base(tf, r);
        add_modules(tf, r->module);
        if (!r->data && r->action != SGR_TF_DELETE && !sgr_strmap_get(tf->map, SGR_TFM_ID, r->id))
            sgr_strmap_put(tf->map, SGR_TFM_ID, r->id, r);
    }
}

/* A values representation's module (state, prior_state, planned_values). */
static void walk_values(sgr_tf *tf, const json_t *module, const char *path, bool data_only)
{
    const char *prefix = json_string_value(json_object_get(module, "address"));
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(module, "resources"), i, r) {
        const char *mode = json_string_value(json_object_get(r, "mode"));
        bool data = mode && strcmp(mode, "data") == 0;
        if (data_only && !data)
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s.resources[%zu]", path, i);
        add_res(tf, r, p, prefix, data ? SGR_TF_READ : SGR_TF_NOOP, json_object_get(r, "values"), NULL, NULL);
    }
    const json_t *c;
    json_array_foreach(json_object_get(module, "child_modules"), i, c) {
        char p[512];
        snprintf(p, sizeof p, "%s.child_modules[%zu]", path, i);
        walk_values(tf, c, p, data_only);
    }
}

static sgr_tf_action action_of(const json_t *actions)
{
    bool del = false, create = false, update = false, read = false, noop = false;
    size_t i;
    const json_t *a;
    json_array_foreach(actions, i, a) {
        const char *s = json_string_value(a);
        if (!s)
            continue;
        del |= !strcmp(s, "delete");
        create |= !strcmp(s, "create");
        update |= !strcmp(s, "update");
        read |= !strcmp(s, "read");
        noop |= !strcmp(s, "no-op");
    }
    if (del && create)
        return SGR_TF_REPLACE;
    if (del)
        return SGR_TF_DELETE;
    if (create)
        return SGR_TF_CREATE;
    if (update)
        return SGR_TF_UPDATE;
    if (read)
        return SGR_TF_READ;
    return noop ? SGR_TF_NOOP : SGR_TF_OTHER;
}

static void walk_changes(sgr_tf *tf, const json_t *changes)
{
    size_t i;
    const json_t *rc;
    json_array_foreach(changes, i, rc) {
        /* A deposed object is an old instance kept for create_before_destroy:
         * it is being destroyed and never part of the planned design. */
        if (json_object_get(rc, "deposed"))
            continue;
        const json_t *ch = json_object_get(rc, "change");
        char p[128];
        snprintf(p, sizeof p, "$.resource_changes[%zu].change.after", i);
        sgr_tf_action act = action_of(json_object_get(ch, "actions"));
        if (act == SGR_TF_DELETE)
            snprintf(p, sizeof p, "$.resource_changes[%zu].change.before", i);
        add_res(tf, rc, p, NULL, act, json_object_get(ch, "after"), json_object_get(ch, "after_unknown"),
                json_object_get(ch, "before"));
    }
}

/* ---------------------------------------------------------------- applying changes */

static void warn_type(sgr_tf *tf, const sgr_tf_res *r)
{
    if (sgr_strmap_get(tf->map, SGR_TFM_WARNED, r->type))
        return;
    sgr_strmap_put(tf->map, SGR_TFM_WARNED, r->type, (void *)r->type);
    sgr_import_warn(tf->ctx, r->node, r->path,
                    "Terraform resource type %s is not modelled (no effect on reachability assumed): "
                    "ignored, first at %s",
                    r->type, r->address);
}

/* Removes what a destroyed resource was in the live estate. */
static void remove_live(sgr_tf *tf, const sgr_tf_res *r, const tf_type *t)
{
    const char *id = known_str(r->before, NULL, arn_keyed(r->type) ? "arn" : "id");
    if (!id)
        id = known_str(r->before, NULL, "id");
    if (!strcmp(r->type, "aws_security_group_rule") || !strncmp(r->type, "aws_vpc_security_group_", 23)) {
        sgr_tf_sg_rule_unapply(tf, (sgr_tf_res *)r);
        return;
    }
    if (!id)
        return;
    if (!strcmp(r->type, "aws_elb")) {
        sgr_snap_remove(tf->ctx->snap, SGR_KIND_LB, sgr_arena_printf(tf->a, "name:%s", id));
        return;
    }
    if (!strcmp(r->type, "aws_instance")) {
        const char *eni = known_str(r->before, NULL, "primary_network_interface_id");
        if (eni)
            sgr_snap_remove(tf->ctx->snap, SGR_KIND_ENI, eni);
    }
    if (t && t->kind >= 0)
        sgr_snap_remove(tf->ctx->snap, (sgr_kind)t->kind, id);
}

/* The origin of a model object of a kind a Terraform resource can name. */
static sgr_origin *live_origin(sgr_kind kind, void *obj)
{
    switch (kind) {
    case SGR_KIND_VPC: return &((sgr_vpc *)obj)->origin;
    case SGR_KIND_SUBNET: return &((sgr_subnet *)obj)->origin;
    case SGR_KIND_ROUTE_TABLE: return &((sgr_route_table *)obj)->origin;
    case SGR_KIND_IGW: return &((sgr_igw *)obj)->origin;
    case SGR_KIND_NAT: return &((sgr_nat *)obj)->origin;
    case SGR_KIND_PEERING: return &((sgr_peering *)obj)->origin;
    case SGR_KIND_NACL: return &((sgr_nacl *)obj)->origin;
    case SGR_KIND_SG: return &((sgr_sg *)obj)->origin;
    case SGR_KIND_ENI: return &((sgr_eni *)obj)->origin;
    case SGR_KIND_INSTANCE: return &((sgr_instance *)obj)->origin;
    case SGR_KIND_DB: return &((sgr_db *)obj)->origin;
    case SGR_KIND_TASK_DEF: return &((sgr_task_def *)obj)->origin;
    case SGR_KIND_SERVICE: return &((sgr_service *)obj)->origin;
    case SGR_KIND_LB: return &((sgr_lb *)obj)->origin;
    case SGR_KIND_TARGET_GROUP: return &((sgr_target_group *)obj)->origin;
    case SGR_KIND_LISTENER: return &((sgr_listener *)obj)->origin;
    default: return NULL;
    }
}

/* True when a no-op resource already exists from a live dump: it stays as it is. */
static bool keep_live(sgr_tf *tf, sgr_tf_res *r, const tf_type *t)
{
    if (r->id_synthetic)
        return false;
    int kind = t->kind;
    const char *id = r->id;
    if (!strcmp(r->type, "aws_elb")) {
        kind = SGR_KIND_LB;
        id = sgr_arena_printf(tf->a, "name:%s", r->id);
    }
    if (kind < 0) {
        /* Rule resources: live when their group is live. */
        if (strcmp(r->type, "aws_security_group_rule") && strncmp(r->type, "aws_vpc_security_group_", 23))
            return false;
        const char *sg = known_str(r->after, NULL, "security_group_id");
        return sg && sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SG, sg) && !sgr_tf_created(tf, SGR_KIND_SG, sg);
    }
    void *obj = sgr_snapshot_find(tf->ctx->snap, (sgr_kind)kind, id);
    if (!obj || sgr_tf_created(tf, (sgr_kind)kind, id))
        return false;
    r->live_kept = true;
    /* The live object stays as dumped, but `tf:ADDRESS` selects it too. */
    sgr_origin *o = live_origin((sgr_kind)kind, obj);
    if (o && !o->tf_address)
        o->tf_address = r->address;
    return true;
}

static void apply_change(sgr_tf *tf, sgr_tf_res *r, const tf_type *t)
{
    switch (r->action) {
    case SGR_TF_DELETE:
        remove_live(tf, r, t);
        return;
    case SGR_TF_REPLACE:
        if (r->before && !r->id_synthetic)
            break; /* replaced under the same id (rare): convert over it */
        remove_live(tf, r, t);
        break;
    case SGR_TF_UPDATE:
        if (!strcmp(r->type, "aws_security_group_rule") || !strncmp(r->type, "aws_vpc_security_group_", 23))
            sgr_tf_sg_rule_unapply(tf, r);
        break;
    case SGR_TF_READ:
        return;
    case SGR_TF_NOOP:
    case SGR_TF_OTHER:
        if (keep_live(tf, r, t))
            return;
        break;
    case SGR_TF_CREATE:
        break;
    }
    if (!r->after)
        return;
    t->fn(tf, r);
}

static void apply(sgr_tf *tf, sgr_tf_res *r, const tf_type *t)
{
    tf->cur = r; /* readers warn at the resource they read */
    apply_change(tf, r, t);
    tf->cur = NULL;
}

static bool version_ok(sgr_tf *tf, const json_t *doc)
{
    const char *v = json_string_value(json_object_get(doc, "format_version"));
    if (!v) {
        sgr_import_warn(tf->ctx, doc, "$.format_version", "Terraform JSON without a format_version string: skipped");
        return false;
    }
    long major = strtol(v, NULL, 10);
    if (major != 0 && major != 1) {
        sgr_import_warn(tf->ctx, doc, "$.format_version",
                        "Terraform JSON format_version %s is not supported (major 0 or 1): skipped", v);
        return false;
    }
    return true;
}

void sgr_import_terraform(sgr_import_ctx *ctx, json_t *doc)
{
    sgr_tf tf = {0};
    tf.ctx = ctx;
    tf.a = ctx->snap->arena;
    tf.doc = doc;
    if (!version_ok(&tf, doc))
        return;
    tf.map = sgr_strmap_new(tf.a);
    tf.config_root = json_object_get(json_object_get(doc, "configuration"), "root_module");
    tf.variables = json_object_get(doc, "variables");
    const json_t *changes = json_object_get(doc, "resource_changes");
    const json_t *planned = json_object_get(json_object_get(doc, "planned_values"), "root_module");
    const json_t *prior = json_object_get(json_object_get(json_object_get(doc, "prior_state"), "values"), "root_module");
    const json_t *state = json_object_get(json_object_get(doc, "values"), "root_module");
    tf.is_plan = changes || planned;
    if (json_is_true(json_object_get(doc, "errored")))
        sgr_import_warn(ctx, doc, "$.errored",
                        "this plan comes from an errored run (errored: true): it may not describe every change");
    if (json_is_array(changes))
        walk_changes(&tf, changes);
    else if (planned)
        walk_values(&tf, planned, "$.planned_values.root_module", false);
    if (planned && json_is_array(changes))
        walk_values(&tf, planned, "$.planned_values.root_module", true);
    if (prior)
        walk_values(&tf, prior, "$.prior_state.values.root_module", false);
    if (state && !tf.is_plan)
        walk_values(&tf, state, "$.values.root_module", false);
    index_res(&tf);
    default_ids(&tf);

    for (int pass = 0; pass < N_PASSES; pass++) {
        if (pass == HOSTS_PASS) {
            sgr_tf_ecs_hosts(&tf);
            continue;
        }
        for (uint32_t i = 0; i < tf.n_res; i++) {
            sgr_tf_res *r = &tf.res[i];
            if (r->data)
                continue;
            const tf_type *t = type_info(r->type);
            if (!t) {
                if (pass == 0 && r->action != SGR_TF_DELETE)
                    warn_type(&tf, r);
                continue;
            }
            if (t->pass == pass)
                apply(&tf, r, t);
        }
    }
    sgr_tf_vpc_defaults(&tf);
    for (uint32_t i = 0; i < tf.n_res; i++)
        json_decref(tf.res[i].v);
}
