/*
 * Terraform compute and database resources → model: network interfaces (and
 * their group attachments), instances, Elastic IPs, RDS instances and clusters
 * with their subnet groups.
 *
 * An endpoint the plan creates has no address yet: its interface is marked
 * address_planned and stands for every address of its subnet (model.h).
 */
#include <string.h>

#include "load/import_terraform.h"

static const char *subnet_vpc(sgr_tf *tf, const char *subnet_id)
{
    sgr_subnet *s = subnet_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, subnet_id) : NULL;
    return s ? s->vpc_id : NULL;
}

const char *sgr_tf_default_group(sgr_tf *tf, const char *vpc_id)
{
    if (!vpc_id)
        return sgr_arena_printf(tf->a, "%sdefault security group", SGR_TF_UNRESOLVED);
    sgr_snapshot *snap = tf->ctx->snap;
    for (uint32_t i = 0; i < snap->n_sgs; i++)
        if (snap->sgs[i]->vpc_id && !strcmp(snap->sgs[i]->vpc_id, vpc_id) && snap->sgs[i]->name &&
            !strcmp(snap->sgs[i]->name, "default") && snap->sgs[i]->described)
            return snap->sgs[i]->id;
    return sgr_arena_printf(tf->a, "%s#default_security_group", vpc_id);
}

/* Group names (EC2-Classic style `security_groups`) to ids within a VPC. */
static sgr_strs groups_by_name(sgr_tf *tf, sgr_strs names, const char *vpc_id)
{
    sgr_strs out = {0};
    sgr_snapshot *snap = tf->ctx->snap;
    for (uint32_t i = 0; i < names.count; i++) {
        const char *id = NULL;
        if (!strncmp(names.items[i], "sg-", 3) || sgr_tf_by_id(tf, names.items[i]) || sgr_tf_unresolved(names.items[i]))
            id = names.items[i];
        for (uint32_t k = 0; !id && k < snap->n_sgs; k++)
            if (snap->sgs[k]->name && !strcmp(snap->sgs[k]->name, names.items[i]) &&
                (!vpc_id || (snap->sgs[k]->vpc_id && !strcmp(snap->sgs[k]->vpc_id, vpc_id))))
                id = snap->sgs[k]->id;
        sgr_strs_add_unique(tf->a, &out, id ? id : sgr_arena_printf(tf->a, "%sgroup named %s", SGR_TF_UNRESOLVED, names.items[i]));
    }
    return out;
}

sgr_eni *sgr_tf_planned_eni(sgr_tf *tf, const sgr_tf_res *r, const char *id, const char *subnet_id,
                            sgr_strs groups, sgr_origin origin)
{
    (void)r;
    sgr_eni *e = sgr_tf_intern(tf, SGR_KIND_ENI, id, sizeof *e, NULL);
    e->subnet_id = subnet_id ? subnet_id : sgr_arena_printf(tf->a, "%ssubnet of %s", SGR_TF_UNRESOLVED, id);
    e->vpc_id = subnet_vpc(tf, subnet_id);
    e->group_ids = groups;
    e->address_planned = true;
    e->private_ips = NULL;
    e->n_private_ips = 0;
    e->status = "in-use";
    e->source_dest_check = true;
    e->device_index = -1;
    e->origin = origin;
    return e;
}

static void set_public(sgr_tf *tf, sgr_eni *e, const char *ip_text, bool elastic)
{
    sgr_public_ip p = {0};
    p.elastic = elastic;
    if (ip_text)
        sgr_parse_ip(ip_text, &p.ip);
    if (e->n_private_ips)
        p.private_ip = e->private_ips[0];
    for (uint32_t i = 0; i < e->n_public_ips; i++) {
        sgr_public_ip *q = &e->public_ips[i];
        if ((q->ip.family == 0 && p.ip.family == 0) ||
            (q->ip.family && !memcmp(&q->ip, &p.ip, sizeof p.ip)) || (q->ip.family == 0 && p.ip.family)) {
            *q = p; /* a planned address replaced by a known one, or the same */
            return;
        }
    }
    uint32_t cap = e->n_public_ips;
    e->public_ips = sgr_arena_grow(tf->a, e->public_ips, &cap, e->n_public_ips + 1, sizeof *e->public_ips);
    e->public_ips[e->n_public_ips++] = p;
}

static void set_private(sgr_tf *tf, sgr_eni *e, sgr_strs ips)
{
    sgr_ip *out = SGR_NEW_N(tf->a, sgr_ip, ips.count ? ips.count : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ips.count; i++)
        if (sgr_parse_ip(ips.items[i], &out[n]))
            n++;
    if (n) {
        e->private_ips = out;
        e->n_private_ips = n;
        e->address_planned = false;
    } else if (!e->n_private_ips) {
        e->address_planned = true;
    }
}

void sgr_tf_eni(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_eni *e = sgr_tf_intern(tf, SGR_KIND_ENI, r->id, sizeof *e, NULL);
    e->subnet_id = sgr_tf_str(tf, v, "subnet_id");
    e->vpc_id = subnet_vpc(tf, e->subnet_id);
    e->group_ids = sgr_tf_strs(tf, v, "security_groups");
    e->groups_unknown_why = sgr_tf_strs_why(tf, &e->group_ids, v, "security_groups",
                                            sgr_arena_printf(tf->a, "the security groups of %s are unknown", r->id));
    if (!e->group_ids.count)
        sgr_strs_add_unique(tf->a, &e->group_ids, sgr_tf_default_group(tf, e->vpc_id));
    sgr_strs ips = sgr_tf_strs(tf, v, "private_ips");
    if (!ips.count)
        ips = sgr_tf_strs(tf, v, "private_ip_list");
    if (!ips.count)
        ips = sgr_tf_strs(tf, v, "private_ip");
    set_private(tf, e, ips);
    e->description = sgr_tf_str(tf, v, "description");
    e->interface_type = sgr_tf_str(tf, v, "interface_type");
    e->status = "in-use";
    e->source_dest_check = sgr_tf_bool(v, "source_dest_check") != 0;
    e->device_index = -1;
    const json_t *att = json_array_get(json_object_get(v, "attachment"), 0);
    if (json_is_object(att)) {
        e->attached_instance = sgr_tf_str(tf, att, "instance");
        e->device_index = (int32_t)sgr_tf_int(att, "device_index", -1);
    }
    e->tags = sgr_tf_tags(tf, v, &e->name);
    e->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_eni_sg_attachment(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *sg = sgr_tf_str(tf, v, "security_group_id");
    sgr_eni *e = sgr_tf_adds_to(tf, r, v, "network_interface_id", SGR_KIND_ENI, sg != NULL, "interface", "attachment");
    if (!e)
        return;
    sgr_strs g = {0};
    for (uint32_t i = 0; i < e->group_ids.count; i++)
        sgr_strs_add_unique(tf->a, &g, e->group_ids.items[i]);
    sgr_strs_add_unique(tf->a, &g, sg);
    e->group_ids = g;
}

static sgr_eni *instance_eni(sgr_tf *tf, sgr_instance *inst)
{
    for (uint32_t i = 0; i < inst->n_enis; i++)
        if (inst->enis[i].device_index == 0)
            return sgr_snapshot_find(tf->ctx->snap, SGR_KIND_ENI, inst->enis[i].eni_id);
    return NULL;
}

void sgr_tf_instance(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    bool fresh;
    sgr_instance *inst = sgr_tf_intern(tf, SGR_KIND_INSTANCE, r->id, sizeof *inst, &fresh);
    const char *state = sgr_tf_str(tf, v, "instance_state");
    inst->state = state ? state : "running";
    inst->instance_type = sgr_tf_str(tf, v, "instance_type");
    const char *subnet = sgr_tf_str(tf, v, "subnet_id");
    if (subnet)
        inst->subnet_id = subnet;
    inst->vpc_id = subnet_vpc(tf, inst->subnet_id);
    const char *of = sgr_arena_printf(tf->a, "the security groups of %s are unknown", r->address);
    sgr_strs groups = sgr_tf_strs(tf, v, "vpc_security_group_ids");
    const char *groups_why = sgr_tf_strs_why(tf, &groups, v, "vpc_security_group_ids", of);
    if (!groups.count && !groups_why) {
        sgr_strs names = sgr_tf_strs(tf, v, "security_groups");
        groups_why = sgr_tf_strs_why(tf, &names, v, "security_groups", of);
        groups = groups_by_name(tf, names, inst->vpc_id);
    }
    inst->owner = sgr_tf_str(tf, v, "owner_id");
    inst->tags = sgr_tf_tags(tf, v, &inst->name);
    inst->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    const char *priv = sgr_tf_str(tf, v, "private_ip");
    if (priv)
        sgr_parse_ip(priv, &inst->private_ip);
    const char *pub = sgr_tf_str(tf, v, "public_ip");
    if (pub)
        sgr_parse_ip(pub, &inst->public_ip);

    /* Interfaces given at launch (network_interface blocks) come first. */
    const json_t *nis = json_object_get(v, "network_interface");
    if (json_array_size(nis)) {
        inst->enis = SGR_NEW_N(tf->a, sgr_instance_eni, json_array_size(nis));
        inst->n_enis = 0;
        size_t i;
        const json_t *ni;
        json_array_foreach(nis, i, ni) {
            const char *id = sgr_tf_str(tf, ni, "network_interface_id");
            if (!id)
                continue;
            sgr_instance_eni *ie = &inst->enis[inst->n_enis++];
            ie->eni_id = id;
            ie->device_index = (int32_t)sgr_tf_int(ni, "device_index", -1);
            sgr_eni *e = sgr_snapshot_find(tf->ctx->snap, SGR_KIND_ENI, id);
            if (e) {
                e->attached_instance = inst->id;
                e->device_index = ie->device_index;
                if (ie->device_index == 0) {
                    inst->subnet_id = e->subnet_id;
                    inst->vpc_id = e->vpc_id;
                    inst->group_ids = e->group_ids;
                }
            }
        }
        return;
    }
    if (!groups.count && (fresh || !inst->group_ids.count))
        sgr_strs_add_unique(tf->a, &groups, sgr_tf_default_group(tf, inst->vpc_id));
    if (groups.count)
        inst->group_ids = groups;

    const char *eni_id = sgr_tf_str(tf, v, "primary_network_interface_id");
    sgr_eni *e = eni_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_ENI, eni_id) : instance_eni(tf, inst);
    if (!e) {
        if (!eni_id)
            eni_id = sgr_arena_printf(tf->a, "%s#primary_network_interface", r->id);
        e = sgr_tf_planned_eni(tf, r, eni_id, inst->subnet_id, inst->group_ids, inst->origin);
        e->description = "Primary network interface";
        e->groups_unknown_why = groups_why;
    } else {
        if (groups_why)
            e->groups_unknown_why = groups_why;
        e->group_ids = inst->group_ids;
        if (inst->subnet_id)
            e->subnet_id = inst->subnet_id;
    }
    if (!inst->subnet_id)
        inst->subnet_id = e->subnet_id;
    e->attached_instance = inst->id;
    e->device_index = 0;
    e->source_dest_check = sgr_tf_bool(v, "source_dest_check") != 0;
    sgr_strs ips = {0};
    if (priv)
        sgr_strs_add_unique(tf->a, &ips, priv);
    sgr_strs sec = sgr_tf_strs(tf, v, "secondary_private_ips");
    for (uint32_t i = 0; i < sec.count; i++)
        sgr_strs_add_unique(tf->a, &ips, sec.items[i]);
    set_private(tf, e, ips);
    inst->enis = SGR_NEW(tf->a, sgr_instance_eni);
    inst->enis[0].eni_id = e->id;
    inst->enis[0].device_index = 0;
    inst->n_enis = 1;
    /* A public address: known, or planned (associate_public_ip_address, else
     * the subnet's map_public_ip_on_launch). */
    int assoc = sgr_tf_bool(v, "associate_public_ip_address");
    if (assoc < 0) {
        sgr_subnet *s = inst->subnet_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, inst->subnet_id) : NULL;
        assoc = s && s->map_public_ip;
    }
    if (pub || assoc == 1)
        set_public(tf, e, pub, false);
}

void sgr_tf_eip(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *eni_id = sgr_tf_str(tf, v, "network_interface");
    const char *inst_id = sgr_tf_str(tf, v, "instance");
    sgr_eni *e = eni_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_ENI, eni_id) : NULL;
    if (!e && inst_id) {
        sgr_instance *inst = sgr_snapshot_find(tf->ctx->snap, SGR_KIND_INSTANCE, inst_id);
        e = inst ? instance_eni(tf, inst) : NULL;
    }
    if (!e) {
        if (eni_id || inst_id)
            sgr_tf_warn(tf, r, "the interface or instance it is associated with is not in the snapshot: skipped");
        return; /* unassociated (or a NAT gateway's, which reads it itself) */
    }
    set_public(tf, e, sgr_tf_str(tf, v, "public_ip"), true);
}

/* ---------------------------------------------------------------- databases */

void sgr_tf_db_subnet_group(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_strs *subnets = SGR_NEW(tf->a, sgr_strs);
    *subnets = sgr_tf_strs(tf, v, "subnet_ids");
    sgr_strmap_put(tf->map, SGR_TFM_SUBNET_GROUP, r->id, subnets);
    sgr_strmap_put(tf->map, SGR_TFM_SUBNET_GROUP, r->address, subnets);
    const char *name = sgr_tf_str(tf, v, "name");
    if (name)
        sgr_strmap_put(tf->map, SGR_TFM_SUBNET_GROUP, name, subnets);
}

static int32_t engine_port(const char *engine)
{
    if (!engine)
        return -1;
    if (strstr(engine, "postgres"))
        return 5432;
    if (strstr(engine, "mysql") || strstr(engine, "mariadb") || !strcmp(engine, "aurora"))
        return 3306;
    if (strstr(engine, "oracle"))
        return 1521;
    if (strstr(engine, "sqlserver"))
        return 1433;
    return -1;
}

void sgr_tf_db(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_db *db = sgr_tf_intern(tf, SGR_KIND_DB, r->id, sizeof *db, NULL);
    db->engine = sgr_tf_str(tf, v, "engine");
    db->port = (int32_t)sgr_tf_int(v, "port", -1);
    if (db->port <= 0)
        db->port = engine_port(db->engine); /* the engine's default, as RDS applies it */
    db->group_ids = sgr_tf_strs(tf, v, "vpc_security_group_ids");
    db->groups_unknown_why = sgr_tf_strs_why(tf, &db->group_ids, v, "vpc_security_group_ids",
                                             sgr_arena_printf(tf->a, "the security groups of %s are unknown", r->address));
    const char *sng = sgr_tf_str(tf, v, "db_subnet_group_name");
    sgr_strs *subnets = sng ? sgr_strmap_get(tf->map, SGR_TFM_SUBNET_GROUP, sng) : NULL;
    db->subnet_ids = subnets ? *subnets : (sgr_strs){0};
    if (sng && !subnets)
        sgr_tf_warn(tf, r, "DB subnet group %s is not in the plan: the database's subnets are unknown", sng);
    db->vpc_id = db->subnet_ids.count ? subnet_vpc(tf, db->subnet_ids.items[0]) : NULL;
    if (!db->group_ids.count)
        sgr_strs_add_unique(tf->a, &db->group_ids, sgr_tf_default_group(tf, db->vpc_id));
    db->publicly_accessible = sgr_tf_bool(v, "publicly_accessible") == 1;
    memset(&db->address, 0, sizeof db->address);
    db->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}
