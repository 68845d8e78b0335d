/*
 * The policy file of `sgreach check` (docs/policy.md): parsing and validation.
 *
 *   {"forbid":  [{"name", "from", "to", "ports", "severity"?, "description"?}],
 *    "require": [ same ],
 *    "waivers": [{"name", "from"?, "to"?, "ports"?, "reason", "expires"?}],
 *                (a waiver of a built-in finding: {"name": CHECK or FINDING-ID, "reason", "expires"?})
 *    "description"?: "…"}
 *
 * Everything is validated before anything is evaluated: an unknown key, a
 * wrong type, a bad selector, a bad port spec or date is an error located as
 * "FILE: JSON-PATH (line N): message" (syntax errors "FILE:LINE:COLUMN: …").
 *
 * Memory: the policy and every string in it live in the arena passed in.
 */
#ifndef SGREACH_POLICY_H
#define SGREACH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph/arena.h"
#include "graph/portspace.h"

typedef enum sgr_policy_kind { SGR_POLICY_FORBID, SGR_POLICY_REQUIRE } sgr_policy_kind;

/* SARIF's levels; critical/high map to error, medium to warning, low to note. */
typedef enum sgr_level { SGR_LEVEL_ERROR, SGR_LEVEL_WARNING, SGR_LEVEL_NOTE } sgr_level;

typedef struct sgr_policy_entry {
    sgr_policy_kind kind;
    const char *name;
    const char *from, *to;      /* selector text */
    sgr_portset ports;
    const char *ports_text;     /* normalised ("tcp:80,443 udp:53") */
    sgr_level level;
    const char *severity;       /* as written; "error" when absent */
    const char *description;    /* may be NULL */
    const char *path;           /* "$.forbid[0]" */
    uint32_t line;              /* of the entry's "{" (0 unknown) */
} sgr_policy_entry;

typedef struct sgr_waiver {
    const char *name;           /* the entry it applies to, or a finding's check or id (`finding`) */
    bool finding;               /* names a built-in finding: no from, to or ports */
    const char *from, *to;      /* selector text; NULL = any */
    bool has_ports;
    sgr_portset ports;          /* has_ports: only these ports are waived */
    const char *reason;
    const char *expires;        /* YYYY-MM-DD or NULL */
    bool expired;               /* today is after `expires`: the waiver no longer applies */
    const char *path;
    uint32_t line;
} sgr_waiver;

typedef struct sgr_policy {
    const char *file;
    const char *today;          /* the date expiry was judged against */
    sgr_policy_entry *entries;  /* forbid entries, then require entries, in file order */
    uint32_t n_entries;
    sgr_waiver *waivers;
    uint32_t n_waivers;
} sgr_policy;

/* Checks a selector's syntax: true when fine, else false with *err (arena). */
typedef bool (*sgr_selector_check_fn)(sgr_arena *a, const char *text, const char **err);

typedef struct sgr_policy_options {
    const char *today;                    /* YYYY-MM-DD; NULL = $SGREACH_TODAY, else today's UTC date */
    sgr_selector_check_fn check_selector; /* NULL = selectors are not checked */
} sgr_policy_options;

/* Parses and validates the policy text (`file` is used in messages only).
 * Returns NULL on any error with *err set to the located message (arena,
 * without the "sgreach: " prefix). */
sgr_policy *sgr_policy_parse(sgr_arena *a, const char *file, const char *text, size_t len,
                             const sgr_policy_options *opts, const char **err);

/* Reads `file` and parses it as above (an unreadable file is an error too). */
sgr_policy *sgr_policy_load(sgr_arena *a, const char *file, const sgr_policy_options *opts,
                            const char **err);

/* True for a valid calendar date written YYYY-MM-DD. */
bool sgr_policy_valid_date(const char *s);

const char *sgr_policy_kind_name(sgr_policy_kind k);
const char *sgr_level_name(sgr_level l);

/* The entry named `name`, or NULL. */
const sgr_policy_entry *sgr_policy_find(const sgr_policy *p, const char *name);

#endif
