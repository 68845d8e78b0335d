/*
 * The Terraform importer's private interface, shared by analyzer/import_terraform*.c.
 *
 * A plan or state document is first flattened into one sgr_tf_res per managed
 * resource instance (import_terraform.c), each with its planned values, what
 * the plan does not know yet (after_unknown), its configuration block and its
 * canonical id: the id the plan knows, else the address itself. Unknown values
 * are then filled from `configuration` expressions (import_terraform_expr.c),
 * giving one "resolved values" JSON tree per instance that converters
 * (import_terraform_{net,sg,compute,lb}.c) read as if everything were known.
 *
 * A value that cannot be resolved becomes a marker string "unresolved:..." that
 * no dump describes: verdicts depending on it are `unknown`, never `unreachable`.
 *
 * Ownership: everything lives in the snapshot's arena except the resolved JSON
 * trees (json_decref'd by sgr_tf_free) and the document (owned by the loader).
 */
#ifndef SGREACH_IMPORT_TERRAFORM_H
#define SGREACH_IMPORT_TERRAFORM_H

#include "graph/strmap.h"
#include "load/import.h"

/* Prefix of marker ids for values the importer could not resolve. */
#define SGR_TF_UNRESOLVED "unresolved:"

typedef enum sgr_tf_action {
    SGR_TF_NOOP,    /* no-op, or a state document's resource */
    SGR_TF_CREATE,
    SGR_TF_UPDATE,
    SGR_TF_REPLACE, /* delete + create (either order) */
    SGR_TF_DELETE,
    SGR_TF_READ,
    SGR_TF_OTHER    /* forget, unknown future actions: treated as no-op */
} sgr_tf_action;

typedef struct sgr_tf_res {
    const char *address;       /* "module.a[\"k\"].aws_sg.x[0]" */
    const char *module;        /* module instance path, "" at the root */
    const char *type, *name;
    const char *base;          /* "TYPE.NAME" or "data.TYPE.NAME" */
    const json_t *index;       /* count (integer) or for_each (string) key, or NULL */
    bool data;
    sgr_tf_action action;
    const json_t *after;       /* planned values (after, or values) */
    const json_t *unknown;     /* after_unknown, or NULL */
    const json_t *before;      /* before (updates, deletes), or NULL */
    const json_t *node;        /* the resource_changes[i] / resources[i] object */
    const char *path;          /* JSON path of `after` */
    const json_t *config;      /* configuration resource block, or NULL */
    const char *id;            /* canonical id (known id/ARN, else the address) */
    bool id_synthetic;
    json_t *v;                 /* resolved values (owned; built by sgr_tf_values) */
    bool resolving;            /* cycle guard */
    bool live_kept;            /* no-op over a live version: the live one stays */
} sgr_tf_res;

/* Per-document state. */
typedef struct sgr_tf {
    sgr_import_ctx *ctx;
    sgr_arena *a;              /* the snapshot's arena */
    const json_t *doc;
    const json_t *config_root; /* configuration.root_module, or NULL */
    const json_t *variables;   /* plan `variables`, or NULL */
    sgr_tf_res *res;
    uint32_t n_res, cap_res;
    sgr_strmap *map;           /* tags below */
    bool is_plan;
    uint32_t depth;            /* expression nesting (cycles in hostile input end here) */
    const sgr_tf_res *cur;     /* the resource being converted (readers warn at it), or NULL */
} sgr_tf;

/* Tags of sgr_tf.map. */
enum {
    SGR_TFM_ADDR = 1,          /* address → sgr_tf_res* (managed and data) */
    SGR_TFM_BASE,              /* "module|base" → sgr_tf_list* of instances */
    SGR_TFM_ID,                /* canonical id → sgr_tf_res* */
    SGR_TFM_MODULE,            /* "parent|call" → sgr_tf_strlist* of module instance paths */
    SGR_TFM_WARNED,            /* type → non-NULL once warned */
    SGR_TFM_CREATED,           /* "kind|id" → non-NULL: object made by this document */
    SGR_TFM_SUBNET_GROUP,      /* db subnet group id/name → sgr_strs* */
    SGR_TFM_LAUNCH_TEMPLATE,   /* launch template id/name → sgr_tf_res* */
    SGR_TFM_ASG,               /* ASG id/name/arn → sgr_tf_res* */
    SGR_TFM_CAPACITY_PROVIDER, /* capacity provider id/name/arn → sgr_tf_res* */
    SGR_TFM_CLUSTER_CP,        /* cluster id/name → sgr_tf_strlist* of capacity provider names */
    SGR_TFM_CLUSTER_HOSTS,     /* cluster arn → sgr_tf_strlist* of container instance ARNs */
    SGR_TFM_TASK_FAMILY        /* task definition family → sgr_task_def* */
};

typedef struct sgr_tf_list {
    sgr_tf_res **items;
    uint32_t n, cap;
} sgr_tf_list;

typedef struct sgr_tf_strlist {
    const char **items;
    uint32_t n, cap;
} sgr_tf_strlist;

void sgr_tf_strlist_add(sgr_arena *a, sgr_tf_strlist *l, const char *s);
/* The list (an sgr_tf_list or sgr_tf_strlist, `size` bytes) that tf->map
 * holds under tag and key, made empty on first use. */
void *sgr_tf_map_list(sgr_tf *tf, uint32_t tag, const char *key, size_t size);

/* ---------------------------------------------------------- addresses, expressions */

/* Splits a resource address into its module instance path ("" at the root)
 * and the rest ("aws_sg.x[0]", "data.aws_vpc.v"); both arena strings. */
void sgr_tf_split_address(sgr_arena *a, const char *address, const char **module, const char **rest);

/* The step "module.NAME" or "module.NAME[KEY]" that p starts with: NULL when
 * p starts with none, else where the step ends (the '.' before the next
 * step, or the end), with *name_end (when not NULL) where NAME ends. */
const char *sgr_tf_module_step(const char *p, const char **name_end);

/* "[0]" or "[\"key\"]" for a count/for_each key, "" for NULL. */
const char *sgr_tf_index_text(sgr_arena *a, const json_t *index);

/* The configuration module object for a module instance path, or NULL. */
const json_t *sgr_tf_config_module(const sgr_tf *tf, const char *module);

/* The resource's resolved values: planned values with unknown leaves filled
 * from configuration expressions. Borrowed; never NULL (an empty object). */
const json_t *sgr_tf_values(sgr_tf *tf, sgr_tf_res *r);

/* Looks an instance up by address (managed or data). */
sgr_tf_res *sgr_tf_find(const sgr_tf *tf, const char *address);
/* The plan resource whose canonical id is `id`, or NULL. */
sgr_tf_res *sgr_tf_by_id(const sgr_tf *tf, const char *id);

/* ---------------------------------------------------------- readers of resolved values */

/* A string (arena copy): a JSON string, a number as text, or the first string
 * of an array (a reference list). NULL when absent, null or empty. */
const char *sgr_tf_str(sgr_tf *tf, const json_t *obj, const char *key);
/* A name: as sgr_tf_str, but NULL for an unresolved marker (names are shown,
 * never matched as ids). */
const char *sgr_tf_name(sgr_tf *tf, const json_t *obj, const char *key);
/* The name of what resource r makes (v its values): its `name`, else the
 * resource's own name ("web" of aws_lb.web). */
const char *sgr_tf_res_name(sgr_tf *tf, const sgr_tf_res *r, const json_t *v);
/* Strings of an array (or a single string), empty ones skipped, deduplicated.
 * A value of another type (an object, a boolean, a fraction) is damage: a
 * warning at the resource being converted, and a marker in its place, so what
 * the list decides (groups, subnets, targets) is unknown, never "none". */
sgr_strs sgr_tf_strs(sgr_tf *tf, const json_t *obj, const char *key);
/* An integer (also from a numeric string); dflt when absent or not a number. */
int64_t sgr_tf_int(const json_t *obj, const char *key, int64_t dflt);
/* 1 true, 0 false, -1 absent/unknown ("true"/"false" strings accepted). */
int sgr_tf_bool(const json_t *obj, const char *key);
/* Terraform's `tags` map as model tags; *name from the Name tag. */
sgr_tags sgr_tf_tags(sgr_tf *tf, const json_t *obj, const char **name);
/* True for a marker of an unresolved value. */
bool sgr_tf_unresolved(const char *s);
/* True for the marker sgr_tf_strs puts in place of a value of the wrong type. */
bool sgr_tf_damaged(const char *s);

/* An origin for the resource (path suffix printf-style, may be ""), with
 * tf_address set; `node` gives the line (NULL: the resource's). */
sgr_origin sgr_tf_origin(sgr_tf *tf, const sgr_tf_res *r, const json_t *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning about the resource. */
void sgr_tf_warn(sgr_tf *tf, const sgr_tf_res *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A warning about field `key` of `obj` (an object of the resource's resolved
 * values, or NULL; key "[3]" for an element of a list, "" for obj itself): located at its JSON
 * path and the object's line. r NULL: at the document. */
void sgr_tf_warn_field(sgr_tf *tf, const sgr_tf_res *r, const json_t *obj, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* v.key as a list of blocks (route, ingress, egress): *out the array, NULL
 * when absent or null. Anything else is damage: false, after a warning at
 * v.key "expected a list of BLOCK blocks, found KIND: " and the consequence
 * (printf-style), for the caller to mark what the blocks decide unknown. */
bool sgr_tf_blocks(sgr_tf *tf, const sgr_tf_res *r, const json_t *v, const char *key, const char *block,
                   const json_t **out, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Leaves out of s (read by sgr_tf_strs from obj.key) the values it could not
 * read; when there were any, a located why "WHAT: its KEY could not be read"
 * for the model's *_unknown_why, else NULL. */
const char *sgr_tf_strs_why(sgr_tf *tf, sgr_strs *s, const json_t *obj, const char *key, const char *what);

/* Interns an object for the resource; records that this document made it. */
void *sgr_tf_intern(sgr_tf *tf, sgr_kind kind, const char *id, size_t size, bool *is_new);
/* True when this document made the object (false: a live dump's). */
bool sgr_tf_created(const sgr_tf *tf, sgr_kind kind, const char *id);
/* The object of `kind` that resource r adds to (a route's table, a rule's
 * ACL), named by its values' v.key, or NULL after the warning "WHAT ID is not
 * in the snapshot: PART skipped" (ID "(unknown)" when the plan does not say
 * it). `whole` false (r lacks the rest of what it adds, as an attachment
 * without its target) skips r with the same warning. */
void *sgr_tf_adds_to(sgr_tf *tf, const sgr_tf_res *r, const json_t *v, const char *key, sgr_kind kind, bool whole,
                     const char *what, const char *part);
/* Registers target `id` with tg (an attachment, an instance of an
 * autoscaling group): its port -1 (the group's) until the caller sets one. */
sgr_target *sgr_tf_add_target(sgr_tf *tf, sgr_target_group *tg, const char *id, sgr_origin origin);

/* ---------------------------------------------------------- converters */

typedef void (*sgr_tf_convert_fn)(sgr_tf *tf, sgr_tf_res *r);

void sgr_tf_vpc(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_subnet(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_igw(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_nat(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_route_table(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_route(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_route_assoc(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_main_route_assoc(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_nacl(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_nacl_rule(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_nacl_assoc(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_peering(sgr_tf *tf, sgr_tf_res *r);
/* VPCs this document made: AWS's defaults where the plan manages none. */
void sgr_tf_vpc_defaults(sgr_tf *tf);

void sgr_tf_sg(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_sg_rule(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_vpc_sg_rule(sgr_tf *tf, sgr_tf_res *r);
/* Removes what a destroyed/updated rule resource added to a live group. */
void sgr_tf_sg_rule_unapply(sgr_tf *tf, sgr_tf_res *r);

void sgr_tf_eni(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_eni_sg_attachment(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_instance(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_eip(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_db_subnet_group(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_db(sgr_tf *tf, sgr_tf_res *r);

void sgr_tf_ecs_cluster(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_task_def(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_launch_template(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_asg(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_capacity_provider(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_cluster_capacity_providers(sgr_tf *tf, sgr_tf_res *r);
/* Synthesizes hosts for the ASGs of the clusters' capacity providers. */
void sgr_tf_ecs_hosts(sgr_tf *tf);
void sgr_tf_ecs_service(sgr_tf *tf, sgr_tf_res *r);

void sgr_tf_lb(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_elb(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_target_group(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_listener(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_tg_attachment(sgr_tf *tf, sgr_tf_res *r);
void sgr_tf_listener_rule(sgr_tf *tf, sgr_tf_res *r);

/* The VPC's default group (AWS applies it when no group is given): a dumped
 * one, else the id of the one a VPC made by the plan has; a marker when the
 * VPC is unknown. */
const char *sgr_tf_default_group(sgr_tf *tf, const char *vpc_id);

/* Synthesized planned interface (address = its subnet's CIDRs). */
sgr_eni *sgr_tf_planned_eni(sgr_tf *tf, const sgr_tf_res *r, const char *id, const char *subnet_id,
                            sgr_strs groups, sgr_origin origin);

#endif
