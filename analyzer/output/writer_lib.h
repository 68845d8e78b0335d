/*
 * What several writers print the same way: a named endpoint, a protocol's
 * ports, the rules that open a path and the components that block it, a
 * path, a finding. Each command's documented format decides the few fields
 * that differ (which of an origin's fields a JSON object carries, whether a
 * block names its direction); the helpers take that as a parameter, so that
 * the formats stay as they are documented while the code that writes them is
 * one. Every string goes through sgr_json_text (report_escape.h).
 */
#ifndef SGREACH_WRITER_LIB_H
#define SGREACH_WRITER_LIB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "graph/arena.h"
#include "queries/check.h"
#include "sgreach/query.h"

/* ------------------------------------------------------------------ text */

/* "FILE:LINE" of a rule, or "FILE" or "" (arena). */
const char *sgr_origin_text(sgr_arena *a, const sgr_origin *o);

/* "id (name)", or "id" when there is no name or it is the id (arena). */
const char *sgr_name_label(sgr_arena *a, const char *id, const char *name);

/* "tcp:443,8080", "tcp" (every port of it), or `every` for every protocol
 * (protocol < 0) (arena). */
const char *sgr_ports_label(sgr_arena *a, int32_t protocol, const char *protocol_name, const char *ports,
                            const char *every);

/* One line per rule ("    allowed by: COMPONENT DIRECTION TEXT  FILE:LINE")
 * and per block ("    blocked by: COMPONENT: REASON  FILE:LINE"). */
void sgr_write_rule_lines(FILE *out, sgr_arena *a, const sgr_rule_ref *rules, uint32_t n_rules,
                          const sgr_block *blocks, uint32_t n_blocks);

/* ------------------------------------------------------------------ JSON */

/* Writes a JSON document (2-space indent, then a newline) and frees it. */
void sgr_json_print(FILE *out, json_t *v);

/* An array of strings. */
json_t *sgr_json_texts(const char *const *v, size_t n);

/* "from", "from_name", "to", "to_name" into o. */
void sgr_json_ends(json_t *o, const char *from, const char *from_name, const char *to, const char *to_name);

/* A path: [{"kind", "id"[, "detail" when the hop has one and with_detail]}]. */
json_t *sgr_json_hops(const sgr_hop *path, uint32_t n, bool with_detail);

/* An origin's fields after a rule's or a block's own: "file", "line", then
 * "json_path" (SGR_ORIGIN_WITH_PATH), "location" ("file:line", "file", or ""
 * when the file is unknown: null with SGR_ORIGIN_NULL_LOCATION), then
 * "tf_address" when there is one (SGR_ORIGIN_WITH_TF). */
enum { SGR_ORIGIN_WITH_PATH = 1, SGR_ORIGIN_NULL_LOCATION = 2, SGR_ORIGIN_WITH_TF = 4 };

/* [{"component", "direction", text_key: the rule's text, the origin's fields}]. */
json_t *sgr_json_rule_refs(const sgr_rule_ref *rules, uint32_t n, const char *text_key, unsigned origin);

/* [{"component"[, "direction" when with_direction], "reason", the origin's fields}]. */
json_t *sgr_json_blocks(const sgr_block *blocks, uint32_t n, bool with_direction, unsigned origin);

/* {"id", "check", "severity", "title", "resources"}: what every writer of a
 * finding starts with. */
json_t *sgr_json_finding(const sgr_finding *f);

/* ------------------------------------------------------------------ check */

/* The violations of policy entry e are r->v[*lo .. *hi) (sgr_check_entry_span);
 * *nv of them are the entry's, *nf of those fail the gate. */
void sgr_check_entry_tally(const sgr_check_result *r, uint32_t e, uint32_t *lo, uint32_t *hi, uint32_t *nv,
                           uint32_t *nf);

#endif
