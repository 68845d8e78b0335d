/*
 * The importers' shared toolkit: what every importer (AWS CLI, Batfish layout,
 * Terraform) uses to turn one parsed JSON document into model objects.
 *
 * Flow: snapshot.c reads each file, splits it into JSON documents, parses each
 * with jansson, builds the document's line index, and dispatches on the
 * top-level key(s) to an importer below. Terraform documents are dispatched
 * after every AWS CLI document of the load, so a plan is laid over live dumps.
 * After all documents, link.c resolves ids to pointers once.
 *
 * Nothing outside analyzer/import*.c, snapshot.c and link.c sees jansson.
 */
#ifndef SGREACH_IMPORT_H
#define SGREACH_IMPORT_H

#include <jansson.h>

#include "graph/addrset.h"
#include "graph/arena.h"
#include "sgreach/model.h"
#include "sgreach/snapshot.h"

typedef struct sgr_line_index sgr_line_index; /* json_t* container → line */

typedef struct sgr_import_ctx {
    sgr_snapshot *snap;
    const char *file;       /* arena copy of the path as given */
    const char *account;    /* label from a Batfish folder layout, may be NULL */
    const char *region;     /* label from a folder layout, may be NULL */
    const sgr_line_index *lines;
    sgr_load_options opts;
    uint32_t warned_kinds;  /* bit set: "unknown field" warnings already given, per importer use */
    json_t *doc;            /* the whole document being imported (wrapper ids live there);
                             * while a split document is imported, a stand-in object */
    uint32_t doc_line;      /* when set, the line of ctx->doc (a split document's stand-in) */
} sgr_import_ctx;

/* Line (1-based) where the object or array `v` starts in ctx->file, 0 if unknown. */
uint32_t sgr_import_line(const sgr_import_ctx *ctx, const json_t *v);

/* An origin for value v at the JSON path given printf-style ("$.Vpcs[%zu]"). */
sgr_origin sgr_import_origin(const sgr_import_ctx *ctx, const json_t *v, const char *path_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A warning located at v (line) and the given JSON path. The object is then
 * usually skipped by the caller; the rest loads. */
void sgr_import_warn(sgr_import_ctx *ctx, const json_t *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "WHY (FILE:LINE PATH)" in the snapshot's arena: the reason a part of the
 * model is unknown, located where the damage was read, for a verdict to cite. */
const char *sgr_import_why(const sgr_import_ctx *ctx, const json_t *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A snapshot-level diagnostic without a JSON location (file may be NULL). */
void sgr_snapshot_diag(sgr_snapshot *snap, sgr_severity sev, const char *file, uint32_t line,
                       uint32_t column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Field readers. Absent or JSON null → the default, silently. Present with the
 * wrong type → a warning at `path`.key and the default. Strings are copied
 * into the snapshot's arena. */
const char *sgr_json_str(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path);
bool sgr_json_bool(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, bool dflt);
/* Integers in [lo, hi]; out of range or wrong type → warning, *ok = false. */
int64_t sgr_json_int(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                     int64_t lo, int64_t hi, int64_t dflt, bool *ok);
/* Sets *dst to the string obj.key when there is one, and leaves it otherwise
 * (the same resource described twice keeps what the other description said). */
void sgr_json_set_str(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                      const char **dst);
/* An array of strings (non-strings warned and skipped). */
sgr_strs sgr_json_strs(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path);
/* Sets *dst to sgr_json_strs / sgr_json_tags of obj.key when obj has that
 * field (JSON null too: then none), and leaves it otherwise, as
 * sgr_json_set_str does. */
void sgr_json_set_strs(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_strs *dst);
void sgr_json_set_tags(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_tags *dst,
                       const char **name);
/* String lists in the snapshot's arena: add unless already there, remove every
 * copy, append all of another list (duplicates kept). */
void sgr_strs_add_unique(sgr_arena *a, sgr_strs *s, const char *str);
void sgr_strs_remove(sgr_strs *s, const char *str);
void sgr_strs_append(sgr_arena *a, sgr_strs *s, sgr_strs more);

/* The string `member` of each object of the array obj.key, as in "Groups":
 * [{"GroupId": …}], leaving out the elements whose string `state_key` is set
 * and is not one of `live` (NULL-terminated; an attachment "detached", a group
 * "removing"; state_key NULL keeps every element). False when the list or an
 * element could not be read (a key that is not an array, JSON null, an element
 * that is not an object or lacks a string `member`): warned, and *out holds the
 * readable items. Every such list names what a verdict needs (attachments,
 * associations, targets, groups), so its caller marks what it decides unknown. */
bool sgr_json_member_strs_read(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *member,
                               const char *path, const char *state_key, const char *const *live, sgr_strs *out);
/* The same, for a list that decides verdicts (security groups): false when it
 * or an item could not be read (warned; *out holds the readable items). JSON
 * null is damage here, not "none". */
bool sgr_json_strs_read(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_strs *out);
/* AWS Tags: [{Key, Value}] (or ECS [{key, value}]). Also sets *name from tag Name if name != NULL. */
sgr_tags sgr_json_tags(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                       const char **name);

/* An arena copy of s, shared with every equal short string of the snapshot. */
const char *sgr_intern(sgr_snapshot *snap, const char *s);

/* obj.key as an address / CIDR. Absent or null → false, silently; not a string
 * or not a valid address → a warning at path.key and false. */
bool sgr_json_ip(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_ip *out);
bool sgr_json_prefix(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                     sgr_prefix *out);
/* A CIDR that AWS prints in one of two fields by its family (CidrBlock or
 * Ipv6CidrBlock): the first of key4, key6 that obj has (JSON null too) is read
 * as by sgr_json_prefix. 1 when read into *out, 0 when obj has neither field,
 * -1 when the one it has holds no valid CIDR. */
int sgr_json_family_prefix(sgr_import_ctx *ctx, const json_t *obj, const char *key4, const char *key6,
                           const char *path, sgr_prefix *out);

/* snprintf for JSON paths (truncation at len is fine: paths are for people). */
void sgr_pathf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* obj.key as a list whose every item may decide a verdict (rules, entries,
 * groups). Absent → *out NULL and true. An array → *out and true. Anything
 * else, JSON null included (the AWS CLI prints [] for "none"), → a located
 * warning and false: the caller marks what the list could decide as unknown. */
bool sgr_json_list_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                         const json_t **out);
/* obj.key as an object whose members may decide a verdict (an attachment's
 * Association, a database's Endpoint). Absent or null → *out NULL and true; an
 * object → *out and true; anything else → a located warning and false. */
bool sgr_json_object_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                           const json_t **out);
/* sgr_json_set_str that says whether obj.key could be read: false (warned,
 * *dst kept) when it is there but not a string. */
bool sgr_json_str_read(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, const char **dst);
/* "an object", "a string", "null"...: for warnings about a value's type. */
const char *sgr_json_kind(const json_t *v);

/* True when v is an array; else a warning at path ("expected an array") and false. */
bool sgr_json_expect_array(sgr_import_ctx *ctx, const json_t *v, const char *path);

/* Strict address parsing (libcidr is lenient: validate first). Return false
 * on anything that is not a canonical dotted quad / IPv6 text / CIDR with a
 * prefix length in range. Host bits of a CIDR are cleared. */
bool sgr_parse_ip(const char *text, sgr_ip *out);
bool sgr_parse_prefix(const char *text, sgr_prefix *out);
/* "tcp"/"6" → 6, "-1"/"all" → -1, "icmpv6"/"58" → 58; -2 when invalid. */
int32_t sgr_parse_protocol(const char *text);
/* (Addresses and prefixes as text: sgr_format_ip / sgr_format_prefix, graph/addrset.h.) */

/* Object registry. Returns the object of `kind` with `id`, creating it (zeroed,
 * `size` bytes, appended to the snapshot's vector for that kind, id copied) if
 * absent; *is_new tells which (is_new may be NULL). A new object's numbers that
 * the model keeps at -1 for "not known" (a subnet's free addresses, a target
 * group's port and client IP preservation, ...) are -1, and an interface's
 * source/destination check is on: callers set only what they read. The same resource seen twice (overlapping
 * pages, an ENI in describe-instances and describe-network-interfaces) is thus
 * merged: importers fill only the fields they have and leave the rest. */
/* (An object's first field is its id or ARN and is set here; a classic load
 * balancer registered as "name:NAME" keeps a NULL arn.) */
void *sgr_snap_intern(sgr_snapshot *snap, sgr_kind kind, const char *id, size_t size, bool *is_new);

/* The object that JSON object `o` describes, interned by its `id_key` member:
 * created on first sight with `o` as its origin (the struct's `origin` member,
 * at origin_offset). NULL, with a located warning, when `o` is not an object or
 * has no non-empty string `id_key`: such an element describes nothing.
 * is_new may be NULL. Use it through SGR_IMPORT_OBJECT. */
void *sgr_import_object(sgr_import_ctx *ctx, const json_t *o, const char *path, const char *id_key,
                        sgr_kind kind, size_t size, size_t origin_offset, bool *is_new);
#define SGR_IMPORT_OBJECT(ctx, o, path, id_key, kind, type, is_new)                                   \
    ((type *)sgr_import_object((ctx), (o), (path), (id_key), (kind), sizeof(type), offsetof(type, origin), \
                               (is_new)))

/* Removes an object from its kind's vector and the index (a Terraform plan
 * destroying a live resource). No-op when absent. */
void sgr_snap_remove(sgr_snapshot *snap, sgr_kind kind, const char *id);

/* Registers an extra lookup key for an object (e.g. a load balancer by "name:NAME"). */
void sgr_snap_alias(sgr_snapshot *snap, sgr_kind kind, const char *key, void *obj);

/* Importers, each taking one parsed document whose top-level key it recognises. */
void sgr_import_ec2(sgr_import_ctx *ctx, const char *key, json_t *value);
void sgr_import_ecs(sgr_import_ctx *ctx, const char *key, json_t *value, json_t *doc);
void sgr_import_elb(sgr_import_ctx *ctx, const char *key, json_t *value, json_t *doc);
void sgr_import_batfish(sgr_import_ctx *ctx, const char *key, json_t *value);
/* One element of ElastiCache describe-cache-clusters (CacheClusters) and of
 * Lambda list-functions (Functions): names for interfaces (import_services.c). */
void sgr_import_cache_cluster(sgr_import_ctx *ctx, const json_t *o, const char *path);
void sgr_import_function(sgr_import_ctx *ctx, const json_t *o, const char *path);
/* Terraform plan/state JSON (format_version + planned_values|values). */
void sgr_import_terraform(sgr_import_ctx *ctx, json_t *doc);

/* The importer of one element of the top-level array `key`, for the keys
 * whose arrays are imported element by element with nothing else of the
 * document (so a large document can be imported piece by piece as it is
 * parsed, snapshot.c); NULL for every other key. path is "$.KEY[i]". */
typedef void (*sgr_element_importer)(sgr_import_ctx *ctx, const json_t *elem, const char *path);
sgr_element_importer sgr_ec2_element_importer(const char *key);
sgr_element_importer sgr_ecs_element_importer(const char *key);
sgr_element_importer sgr_elb_element_importer(const char *key);

/* scripts/collect-aws's manifest ({"SgreachCollection": ...}): one coverage
 * entry per (account, region, call) (coverage.c). */
void sgr_import_manifest(sgr_import_ctx *ctx, json_t *value);
/* Records that a document with top-level key `key` was read (what a snapshot
 * lacks is told from what it holds). */
void sgr_coverage_key_seen(sgr_snapshot *snap, const char *key);
/* After the links: warns every call that did not end well with what it leaves
 * unknown, marks the load balancers whose listeners were not read, sorts the
 * coverage entries. */
void sgr_coverage_resolve(sgr_snapshot *snap);

/* Resolves every id to its pointer once, after all documents (link.c), then
 * the coverage (sgr_coverage_resolve). */
void sgr_link(sgr_snapshot *snap);

#endif
