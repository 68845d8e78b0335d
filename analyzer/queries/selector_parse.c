/*
 * Selector syntax (SPEC section 3, docs/selectors.md): the text is checked
 * strictly here, once, so that resolving never meets a malformed selector.
 * Regexes are compiled here (JIT where the platform allows) and freed by
 * sgr_selector_free().
 */
#include <ctype.h>
#include <string.h>

#include "load/import.h"
#include "queries/selector_int.h"

/* User-given patterns run against every name of the estate: bound the work a
 * pathological pattern may do. Hitting a limit is an error, never "no match". */
enum { SGR_SEL_MATCH_LIMIT = 1000000, SGR_SEL_DEPTH_LIMIT = 10000 };

static const char *starts(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(text, prefix, n) == 0 ? text + n : NULL;
}

/* An AWS id's suffix: letters and digits only, at least one. */
static bool id_suffix_ok(const char *p)
{
    if (*p == '\0')
        return false;
    for (; *p; p++)
        if (!isalnum((unsigned char)*p))
            return false;
    return true;
}

/* Messages say what is wrong, not which selector: callers prefix the text. */
static sgr_selector *fail(sgr_arena *a, const char **err, const char *msg)
{
    if (err)
        *err = sgr_arena_strdup(a, msg);
    return NULL;
}

static bool compile_re(sgr_arena *a, sgr_selector *s, const char *pattern, const char **err)
{
    /* UTF where the pattern is valid UTF-8 (subjects come from JSON, which
     * jansson has checked); MATCH_INVALID_UTF keeps matching safe anyway. */
    uint32_t base = PCRE2_DOLLAR_ENDONLY;
    int code = 0;
    PCRE2_SIZE off = 0;
    s->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                          base | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
    if (!s->re && code < 0) /* negative compile codes are UTF-8 errors in the pattern */
        s->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, base, &code, &off, NULL);
    if (!s->re) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            strcpy((char *)msg, "unknown error");
        if (err)
            *err = sgr_arena_printf(a, "invalid regular expression at offset %zu: %s", (size_t)off,
                                    (const char *)msg);
        return false;
    }
    (void)pcre2_jit_compile(s->re, PCRE2_JIT_COMPLETE); /* interpreter when JIT is unavailable */
    return true;
}

/* A Terraform identifier: letters, digits, `_` and `-`, not starting with a digit. */
static const char *tf_name(const char *p)
{
    if (!isalpha((unsigned char)*p) && *p != '_')
        return NULL;
    while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
        p++;
    return p;
}

/* An optional instance key: `[0]`, `["a"]` (no `]` inside the key). */
static const char *tf_key(const char *p)
{
    if (*p != '[')
        return p;
    const char *end = strchr(p, ']');
    return end && end > p + 1 ? end + 1 : NULL;
}

/* Whether text is a bare Terraform resource address, `module.M[K].` steps then
 * `TYPE.NAME[K]` with a provider-prefixed TYPE (`aws_…`), optionally followed by
 * `#task/N`, the id of the Nth task of a planned ECS service. Nothing else a
 * selector can be has this shape (ids have no `.`, addresses no letters `_`). */
static bool is_tf_address(const char *text)
{
    const char *p = text;
    while (starts(p, "module.")) {
        const char *q = tf_name(p + 7);
        if (!q || !(q = tf_key(q)) || *q != '.')
            return false;
        p = q + 1;
    }
    const char *type_end = tf_name(p);
    if (!type_end || *type_end != '.' || !memchr(p, '_', (size_t)(type_end - p)))
        return false;
    const char *q = tf_name(type_end + 1);
    if (!q || !(q = tf_key(q)))
        return false;
    if (*q == '\0')
        return true;
    const char *n = starts(q, "#task/");
    if (!n || !*n)
        return false;
    while (isdigit((unsigned char)*n))
        n++;
    return *n == '\0';
}

/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE — the resource kinds a
 * selector can name. */
static bool parse_arn(sgr_selector *s)
{
    const char *p = s->text;
    const char *field[6];
    int n = 0;
    field[n++] = p;
    for (; *p && n < 6; p++)
        if (*p == ':')
            field[n++] = p + 1;
    if (n < 6 || *field[5] == '\0')
        return false;
    const char *svc = field[2];
    const char *res = field[5];
    if (strncmp(svc, "ecs:", 4) == 0) {
        if (starts(res, "task/") && res[5]) {
            s->form = SGR_SEL_TASK;
        } else if (starts(res, "service/") && res[8]) {
            s->form = SGR_SEL_SERVICE;
        } else {
            return false;
        }
        s->arg = s->text;
        return true;
    }
    if (strncmp(svc, "elasticloadbalancing:", 21) == 0) {
        if (starts(res, "loadbalancer/") && res[13])
            s->form = SGR_SEL_LB;
        else if (starts(res, "targetgroup/") && res[12])
            s->form = SGR_SEL_TG;
        else
            return false;
        s->arg = s->text;
        return true;
    }
    if (strncmp(svc, "ec2:", 4) == 0) {
        static const struct {
            const char *res;
            sgr_sel_form form;
        } kinds[] = {
            {"network-interface/", SGR_SEL_ENI}, {"instance/", SGR_SEL_INSTANCE},
            {"security-group/", SGR_SEL_SG},     {"subnet/", SGR_SEL_SUBNET},
            {"vpc/", SGR_SEL_VPC},
        };
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            const char *id = starts(res, kinds[i].res);
            if (id && *id) {
                s->form = kinds[i].form;
                s->arg = id;
                return true;
            }
        }
    }
    return false;
}

/* Hex digits and separators only, with at least one separator: meant as an
 * address, so a failure to parse is reported as a bad address. */
static bool looks_like_address(const char *t)
{
    bool sep = false;
    for (; *t; t++) {
        if (*t == '.' || *t == ':' || *t == '/')
            sep = true;
        else if (!isxdigit((unsigned char)*t))
            return false;
    }
    return sep;
}

/* The forms whose argument is all that follows their prefix (a prefix list
 * id keeps its "pl-"). */
static const struct {
    const char *prefix;
    sgr_sel_form form;
    bool keep_prefix;
} PLAIN_PREFIXES[] = {
    {"task:", SGR_SEL_TASK, false},          {"lb:", SGR_SEL_LB, false},
    {"db:", SGR_SEL_DB, false},              {"rds:", SGR_SEL_DB, false},
    {"elasticache:", SGR_SEL_CACHE, false},  {"lambda:", SGR_SEL_FUNCTION, false},
    {"endpoint:", SGR_SEL_ENDPOINT, false},  {"pl-", SGR_SEL_PREFIX_LIST, true},
    {"tf:", SGR_SEL_TF, false},              {"name=", SGR_SEL_NAME_EQ, false},
};

static bool parse_prefixed(sgr_arena *a, sgr_selector *s, const char **err, bool *ok)
{
    const char *t = s->text;
    const char *rest = NULL;
    *ok = true;
    size_t i = 0;
    while (i < sizeof PLAIN_PREFIXES / sizeof PLAIN_PREFIXES[0] && !(rest = starts(t, PLAIN_PREFIXES[i].prefix)))
        i++;
    if (rest) {
        s->form = PLAIN_PREFIXES[i].form;
        s->arg = PLAIN_PREFIXES[i].keep_prefix ? t : rest;
    } else if ((rest = starts(t, "service:"))) {
        s->form = SGR_SEL_SERVICE;
        s->arg = rest;
        /* A service ARN, or [CLUSTER/]NAME where CLUSTER is a name or a cluster
         * ARN (which has a '/' of its own: split at the last one after it). */
        const char *cl = strstr(rest, ":cluster/");
        if (!starts(rest, "arn:") || (cl && !strstr(rest, ":service/"))) {
            const char *slash = strrchr(rest, '/');
            if (starts(rest, "arn:") && (!cl || slash == cl + 8)) {
                fail(a, err, "expected service:CLUSTER-ARN/NAME");
                *ok = false;
                return true;
            }
            if (slash) {
                s->arg2 = sgr_arena_strndup(a, rest, (size_t)(slash - rest));
                s->arg = slash + 1;
            }
        }
    } else if ((rest = starts(t, "aws:")) && *rest) {
        s->form = SGR_SEL_AWS;
        s->arg = rest;
    } else if ((rest = starts(t, "name~"))) {
        s->form = SGR_SEL_NAME_RE;
        s->arg = rest;
        if (*rest == '\0') {
            fail(a, err, "empty regular expression");
            *ok = false;
            return true;
        }
        return (*ok = compile_re(a, s, rest, err)), true;
    } else if ((rest = starts(t, "tag:"))) {
        /* Tag keys may contain '=' but never '~': split at the first of either. */
        size_t k = strcspn(rest, "=~");
        if (k == 0 || rest[k] == '\0') {
            fail(a, err, "expected tag:KEY=VALUE or tag:KEY~REGEX");
            *ok = false;
            return true;
        }
        s->arg = sgr_arena_strndup(a, rest, k);
        if (rest[k] == '=') {
            s->form = SGR_SEL_TAG_EQ;
            s->arg2 = rest + k + 1;
        } else {
            s->form = SGR_SEL_TAG_RE;
            s->arg2 = rest + k + 1;
            if (!compile_re(a, s, rest + k + 1, err))
                *ok = false;
        }
        return true;
    } else {
        return false;
    }
    if (*s->arg == '\0' || (s->arg2 && *s->arg2 == '\0')) {
        fail(a, err, "nothing after the prefix");
        *ok = false;
    }
    return true;
}

sgr_selector *sgr_selector_parse(sgr_arena *a, const char *text, const char **err)
{
    if (err)
        *err = NULL;
    if (!text || !*text)
        return fail(a, err, "empty selector");
    sgr_selector *s = SGR_NEW(a, sgr_selector);
    s->text = sgr_arena_strdup(a, text);
    bool ok;
    if (strcmp(text, "internet") == 0) {
        s->form = SGR_SEL_INTERNET;
        return s;
    }
    if (parse_prefixed(a, s, err, &ok)) {
        if (!ok) {
            sgr_selector_free(s);
            return NULL;
        }
        return s;
    }
    if (starts(text, "arn:")) {
        if (parse_arn(s))
            return s;
        return fail(a, err,
                    "unsupported ARN (expected an ECS task or service, a load "
                    "balancer, a target group, or an EC2 interface, instance, group, subnet or VPC)");
    }
    static const struct {
        const char *prefix;
        sgr_sel_form form;
    } ids[] = {
        {"eni-", SGR_SEL_ENI}, {"i-", SGR_SEL_INSTANCE}, {"sg-", SGR_SEL_SG},
        {"subnet-", SGR_SEL_SUBNET}, {"vpc-", SGR_SEL_VPC},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const char *rest = starts(text, ids[i].prefix);
        if (!rest)
            continue;
        if (!id_suffix_ok(rest))
            return fail(a, err, "malformed AWS id");
        s->form = ids[i].form;
        s->arg = s->text;
        return s;
    }
    if (strchr(text, '/') ? sgr_parse_prefix(text, &s->prefix) : sgr_parse_ip(text, &s->prefix.ip)) {
        s->form = SGR_SEL_ADDR;
        if (!strchr(text, '/'))
            s->prefix.len = s->prefix.ip.family == SGR_AF_INET ? 32 : 128;
        s->host = s->prefix.len == (s->prefix.ip.family == SGR_AF_INET ? 32 : 128);
        return s;
    }
    if (looks_like_address(text))
        return fail(a, err, "invalid IP address or CIDR");
    if (is_tf_address(text)) { /* as Terraform prints it, and as ids of planned objects read */
        s->form = SGR_SEL_TF;
        s->arg = s->text;
        return s;
    }
    return fail(a, err,
                "not a selector (expected internet, an address or CIDR, an eni-/i-/sg-/"
                "subnet-/vpc- id, an ARN, task:, service:, lb:, db:, rds:, elasticache:, lambda:, endpoint:, pl-, aws:, tag:, "
                "name~, name= or tf:)");
}

void sgr_selector_free(sgr_selector *s)
{
    if (s && s->re) {
        pcre2_code_free(s->re);
        s->re = NULL;
    }
}

const char *sgr_selector_text(const sgr_selector *s)
{
    return s ? s->text : NULL;
}

pcre2_match_context *sgr_sel_match_context(void)
{
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (!mc)
        sgr_oom();
    pcre2_set_match_limit(mc, SGR_SEL_MATCH_LIMIT);
    pcre2_set_depth_limit(mc, SGR_SEL_DEPTH_LIMIT);
    return mc;
}

int sgr_sel_match(const sgr_selector *s, pcre2_match_data *md, pcre2_match_context *mc,
                  const char *subject, sgr_arena *a, const char **err)
{
    if (!subject)
        return 0;
    int rc = pcre2_match(s->re, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0, md, mc);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
        strcpy((char *)msg, "unknown error");
    *err = sgr_arena_printf(a, "selector '%s': regular expression failed on \"%s\": %s", s->text,
                            subject, (const char *)msg);
    return -1;
}
