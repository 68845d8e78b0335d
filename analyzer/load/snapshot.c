/*
 * Loading: paths → files (directories walked recursively in sorted order) →
 * JSON documents (several per file allowed) → importers by top-level key →
 * Terraform documents last → links resolved once.
 *
 * A large document of top-level arrays arrives in pieces (json_feed.h) and
 * is imported element by element, exactly as dispatch() would import it
 * whole. Should a piece not parse, the load starts again without splitting,
 * so the error, and every diagnostic before it, is what a whole parse gives.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/import.h"
#include "load/json_feed.h"
#include "load/json_lines.h"
#include "load/json_plain.h"
#include "load/json_pool.h"
#include "load/json_printable.h"
#include "graph/printable.h"
#include "load/snapshot_int.h"

typedef struct deferred {
    json_t *doc;
    sgr_line_index *lines;
    sgr_import_ctx ctx;
} deferred;

/* Documents from this size on are split when their keys allow it; below, a
 * document is one job. --debug-split (split_all) splits every document that
 * can be split: the tests show that the output does not change. */
#define SPLIT_BYTES (1u << 20)

typedef struct loader {
    sgr_snapshot *snap;
    sgr_load_options opts;
    bool fatal;
    bool restart;          /* a piece of a split document did not parse: load again whole */
    json_t *stand_in;      /* ctx->doc while a split document is imported */
    sgr_json_pool *rest_pool; /* documents the loader parses itself (take_rest) */
    uint32_t n_docs;
    deferred *tf;
    size_t n_tf, cap_tf;
    sgr_strmap *dirs_seen; /* "dev:ino" of directories already walked */
    sgr_strmap *by_content; /* files of directories read for their content, not their name */
    sgr_json_pool *pool;   /* jansson's memory during the load (json_pool.h) */
    char **files;          /* every file to read, collected first, then read sorted */
    size_t n_files, cap_files;
    sgr_input *input;      /* the file being read (what it was recognised as) */
    uint32_t n_empty_objects; /* `{}` documents in that file */
} loader;

/* Queues a file; files are read after every path has been walked, in sorted
 * order, so the result does not depend on the order paths were given. */
static void queue_file(loader *L, const char *path)
{
    if (L->n_files == L->cap_files) {
        L->cap_files = L->cap_files ? L->cap_files * 2 : 64;
        L->files = sgr_xrealloc(L->files, L->cap_files * sizeof *L->files);
    }
    L->files[L->n_files++] = sgr_xstrdup(path);
}

typedef enum handler { H_EC2, H_ECS, H_ELB, H_BATFISH, H_MANIFEST, H_SILENT } handler;

static const struct {
    const char *key;
    handler h;
} KEYS[] = {
    {"Vpcs", H_EC2}, {"Subnets", H_EC2}, {"SecurityGroups", H_EC2}, {"SecurityGroupRules", H_EC2},
    {"NetworkInterfaces", H_EC2}, {"Reservations", H_EC2}, {"NetworkAcls", H_EC2},
    {"RouteTables", H_EC2}, {"InternetGateways", H_EC2}, {"NatGateways", H_EC2},
    {"VpcPeeringConnections", H_EC2}, {"VpcEndpoints", H_EC2}, {"PrefixLists", H_EC2},
    {"Entries", H_EC2}, {"TransitGatewayAttachments", H_EC2},
    {"ServiceConfigurations", H_EC2}, {"VpcEndpointConnections", H_EC2},
    {"tasks", H_ECS}, {"taskDefinition", H_ECS}, {"services", H_ECS}, {"containerInstances", H_ECS},
    {"LoadBalancers", H_ELB}, {"TargetGroups", H_ELB}, {"TargetHealthDescriptions", H_ELB},
    {"Attributes", H_ELB}, {"Listeners", H_ELB}, {"LoadBalancerDescriptions", H_ELB},
    {"LoadBalancerListeners", H_BATFISH}, {"LoadBalancerTargetHealth", H_BATFISH},
    {"LoadBalancerAttributes", H_BATFISH}, {"TransitGateways", H_BATFISH},
    {"TransitGatewayRouteTables", H_BATFISH}, {"TransitGatewayVpcAttachments", H_BATFISH},
    {"TransitGatewayStaticRoutes", H_BATFISH}, {"TransitGatewayPropagations", H_BATFISH},
    {"DBInstances", H_BATFISH}, {"CacheClusters", H_BATFISH}, {"Functions", H_BATFISH},
    {"SgreachCollection", H_MANIFEST},
    /* Pagination tokens, failures, wrapper ids (read by the importers) and
     * what Batfish itself ignores: accepted without a word. */
    {"NextToken", H_SILENT}, {"NextMarker", H_SILENT}, {"nextToken", H_SILENT},
    {"failures", H_SILENT}, {"tags", H_SILENT}, {"TargetGroupArn", H_SILENT},
    {"PrefixListId", H_SILENT}, {"LoadBalancerArn", H_SILENT}, {"AvailabilityZones", H_SILENT},
    {"ServiceNames", H_SILENT}, {"DhcpOptions", H_SILENT}, {"Tags", H_SILENT},
    {"Regions", H_SILENT}, {"InstanceStatuses", H_SILENT}, {"PlacementGroups", H_SILENT},
    {"ResponseMetadata", H_SILENT},
    {"AdditionalRoutesAvailable", H_SILENT},
};

static int find_key(const char *key)
{
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
        if (strcmp(KEYS[i].key, key) == 0)
            return (int)i;
    return -1;
}

static sgr_element_importer element_importer(const char *key)
{
    sgr_element_importer fn = sgr_ec2_element_importer(key);
    if (!fn)
        fn = sgr_ecs_element_importer(key);
    if (!fn)
        fn = sgr_elb_element_importer(key);
    return fn;
}

/* For the feed's reading thread (pure: tables only). A document may be split
 * when every top-level key is one dispatch() ignores or one whose array it
 * imports element by element with nothing else of the document. */
static sgr_split_key classify_key(const char *key)
{
    int k = find_key(key);
    if (k < 0)
        return SGR_SPLIT_OTHER;
    if (KEYS[k].h == H_SILENT)
        return SGR_SPLIT_SILENT;
    return element_importer(key) ? SGR_SPLIT_ELEMENTS : SGR_SPLIT_OTHER;
}

static bool is_terraform(const json_t *doc)
{
    return json_object_get(doc, "format_version") &&
           (json_object_get(doc, "planned_values") || json_object_get(doc, "values") ||
            json_object_get(doc, "resource_changes"));
}

/* One line of `terraform plan -json` (or apply -json): Terraform's
 * machine-readable UI, which names changes but holds no resource values. */
static bool is_terraform_log_line(const json_t *doc)
{
    return json_object_get(doc, "@level") && json_object_get(doc, "@message");
}

/* What a recognised top-level key tells of its file and of the snapshot's coverage. */
static void key_seen(loader *L, int k)
{
    if (KEYS[k].h == H_SILENT)
        L->input->what |= SGR_INPUT_AWS_UNUSED;
    else if (KEYS[k].h != H_MANIFEST)
        L->input->what |= SGR_INPUT_AWS;
    sgr_coverage_key_seen(L->snap, KEYS[k].key);
}

static void dispatch(loader *L, sgr_import_ctx *ctx, json_t *doc, uint32_t doc_line,
                     sgr_line_index **lines)
{
    if (!json_is_object(doc)) {
        sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, ctx->file, doc_line, 0, "$",
                          "not a recognised AWS CLI output (the top-level value is an array); ignored");
        return;
    }
    if (json_object_size(doc) == 0) {
        L->n_empty_objects++;
        return;
    }
    if (is_terraform_log_line(doc)) {
        L->input->what |= SGR_INPUT_TF_LOG; /* said once for the file, at its end */
        return;
    }
    if (is_terraform(doc)) {
        L->input->what |= json_object_get(doc, "planned_values") || json_object_get(doc, "resource_changes")
                              ? SGR_INPUT_TF_PLAN
                              : SGR_INPUT_TF_STATE;
        if (L->n_tf == L->cap_tf) {
            L->cap_tf = L->cap_tf ? L->cap_tf * 2 : 8;
            L->tf = sgr_xrealloc(L->tf, L->cap_tf * sizeof *L->tf);
        }
        deferred *d = &L->tf[L->n_tf++];
        d->doc = json_incref(doc);
        d->lines = *lines;
        d->ctx = *ctx;
        d->ctx.lines = d->lines;
        *lines = NULL; /* now owned by the deferred entry */
        return;
    }
    const char *key;
    json_t *value;
    size_t recognised = 0, n_keys = json_object_size(doc);
    json_object_foreach (doc, key, value)
        if (find_key(key) >= 0)
            recognised++;
    if (n_keys && !recognised) {
        json_object_foreach (doc, key, value)
            break;
        sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, ctx->file, doc_line, 0, "$",
                          "not a recognised AWS CLI output (top-level key \"%.80s\"); ignored", key);
        return;
    }
    json_object_foreach (doc, key, value) {
        int k = find_key(key);
        if (k < 0) {
            if (sgr_snap_once(L->snap, 1, key)) {
                char path[256];
                snprintf(path, sizeof path, "$.%.200s", key);
                uint32_t line = sgr_import_line(ctx, value);
                sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, ctx->file, line ? line : doc_line, 0,
                                  path, "unrecognised top-level key \"%.80s\", ignored (warned once per key)",
                                  key);
            }
            continue;
        }
        key_seen(L, k);
        switch (KEYS[k].h) {
        case H_EC2:
            sgr_import_ec2(ctx, key, value);
            break;
        case H_ECS:
            sgr_import_ecs(ctx, key, value, doc);
            break;
        case H_ELB:
            sgr_import_elb(ctx, key, value, doc);
            break;
        case H_BATFISH:
            sgr_import_batfish(ctx, key, value);
            break;
        case H_MANIFEST:
            L->input->what |= SGR_INPUT_MANIFEST;
            sgr_import_manifest(ctx, value);
            break;
        case H_SILENT:
            break;
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* A region name such as us-east-1, eu-central-2, us-gov-west-1. */
static bool looks_like_region(const char *s)
{
    size_t n = strlen(s);
    if (n < 9 || n > 20 || s[2] != '-' || s[n - 2] != '-' || s[n - 1] < '0' || s[n - 1] > '9')
        return false;
    for (size_t i = 0; i < n - 2; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z') && s[i] != '-')
            return false;
    return true;
}

static bool looks_like_account(const char *s)
{
    size_t n = strlen(s);
    if (n != 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Labels from the folder layout (Batfish: aws_configs/[account/]region/; at
 * depth ≥ 2 below aws_configs the parent is the region, the grandparent the
 * account). Elsewhere a parent folder named like a region, and a grandparent
 * of 12 digits, label the files. */
static void labels_for(const char *path, char *account, char *region, size_t cap)
{
    account[0] = region[0] = '\0';
    char *copy = sgr_xstrdup(path);
    const char *comp[256];
    size_t n = 0;
    for (char *tok = strtok(copy, "/"); tok && n < 256; tok = strtok(NULL, "/"))
        comp[n++] = tok;
    /* comp[n-1] is the file name. */
    size_t base = n;
    for (size_t i = 0; i + 1 < n; i++)
        if (strcmp(comp[i], "aws_configs") == 0)
            base = i;
    if (base < n) {
        size_t depth = n - 1 - (base + 1); /* folders between aws_configs and the file */
        if (depth >= 1)
            snprintf(region, cap, "%s", comp[n - 2]);
        if (depth >= 2)
            snprintf(account, cap, "%s", comp[n - 3]);
    } else {
        if (n >= 2 && looks_like_region(comp[n - 2]))
            snprintf(region, cap, "%s", comp[n - 2]);
        if (n >= 3 && region[0] && looks_like_account(comp[n - 3]))
            snprintf(account, cap, "%s", comp[n - 3]);
    }
    free(copy);
}

/* Advances (line, col) over text[0..n). */
static void advance(const char *text, size_t n, uint32_t *line, uint32_t *col)
{
    const char *p = text, *end = text + n;
    const char *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
        (*line)++;
        *col = 1;
        p = nl + 1;
    }
    *col += (uint32_t)(end - p);
}

/* Moves (line, col) past a document of n bytes that ends on line `last`
 * (the line index counted its newlines: only the last line is scanned). */
static void advance_to(const char *text, size_t n, uint32_t last, uint32_t *line, uint32_t *col)
{
    if (last == *line) {
        *col += (uint32_t)n;
        return;
    }
    size_t k = n;
    while (k > 0 && text[k - 1] != '\n')
        k--;
    *line = last;
    *col = 1 + (uint32_t)(n - k);
}

/* A file that held nothing sgreach reads is named, with what it looks like;
 * so is a log stream beside real documents. */
static void say_what_file_is(loader *L, const char *path)
{
    uint32_t what = L->input->what;
    if (what & SGR_INPUT_TF_LOG)
        sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, path, 0, 0, NULL,
                          "this is the `terraform plan -json` log stream (lines with \"@level\" and \"@message\"), "
                          "not a plan: its lines are ignored. Save the plan (`terraform plan -out=tfplan`) and give "
                          "`terraform show -json tfplan`");
    else if (what)
        return; /* a manifest alone describes no resource, but it is what it claims */
    else if (L->n_empty_objects)
        sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, path, 0, 0, NULL,
                          "recognised as nothing: an empty JSON object ({}) describes no resource");
    else
        sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, path, 0, 0, NULL,
                          "recognised as nothing: no AWS CLI output or Terraform JSON that sgreach reads");
}

/* Where the loader is in the file being read. */
typedef struct file_pos {
    sgr_import_ctx ctx;
    uint32_t line, col;
    size_t end;       /* bytes of the text already counted */
    uint32_t docs;    /* documents parsed */
    size_t bytes;     /* the file's length */
    uint32_t doc_line; /* first line of the split document being imported */
    bool skip;        /* the rest of the file is not read (a parse error, or read here) */
} file_pos;

static bool take(loader *L, sgr_feed_item *it, file_pos *fp);

/* The documents of a file from `it`'s on, parsed here one after another as a
 * one-thread load does: where a document did not end where the scan said
 * (no valid document does), the scan is not trusted for the rest. */
static void take_rest(loader *L, const sgr_feed_item *it, file_pos *fp)
{
    if (!L->rest_pool)
        L->rest_pool = sgr_json_pool_new();
    sgr_json_pool *was = sgr_json_pool_enter(L->rest_pool);
    const char *text = it->text;
    size_t len = it->text_len, pos = it->offset;
    for (;;) {
        pos = sgr_json_skip_space(text, len, pos);
        if (pos >= len)
            break;
        sgr_feed_item one = {.path = it->path, .text = it->text, .text_len = len, .offset = pos};
        /* the string limit holds here too: jansson would buffer the string */
        sgr_split sp = {0};
        sgr_split_scan(&sp, text, len, pos, NULL, 0);
        bool too_long = sp.too_long;
        if (too_long)
            sgr_feed_long_string_error(&sp, text, len, pos, &one.err);
        sgr_split_free(&sp);
        if (too_long) {
            one.kind = SGR_FEED_PARSE_ERROR;
            one.limit = true;
            take(L, &one, fp);
            break;
        }
        one.doc = sgr_json_loadb(text + pos, len - pos, JSON_DISABLE_EOF_CHECK, &one.err);
        if (!one.doc) {
            one.kind = SGR_FEED_PARSE_ERROR;
            take(L, &one, fp);
            break;
        }
        one.kind = SGR_FEED_DOC;
        one.used = (size_t)one.err.position;
        if (one.used == 0 || one.used > len - pos)
            one.used = len - pos;
        one.scanned_used = one.used;
        one.lines = sgr_line_index_build(one.doc, text + pos, one.used, 1);
        sgr_json_make_printable(one.doc, text + pos, one.used);
        if (take(L, &one, fp))
            sgr_json_pool_pin(L->rest_pool);
        else
            sgr_json_pool_reset(L->rest_pool);
        sgr_line_index_free(one.lines);
        pos += one.used;
    }
    sgr_json_pool_enter(was);
    fp->skip = true;
}

/* A piece of a split document: its elements imported as dispatch() imports
 * the whole array, with the document's stand-in as ctx->doc. */
static void take_piece(loader *L, sgr_feed_item *it, file_pos *fp)
{
    sgr_import_ctx *ctx = &fp->ctx;
    if (it->doc_first) {
        advance(it->text + fp->end, it->offset - fp->end, &fp->line, &fp->col);
        fp->doc_line = fp->line;
        ctx->doc = L->stand_in;
        ctx->doc_line = fp->doc_line;
    }
    if (it->failed) {
        L->restart = true;
        return;
    }
    if (!it->elements || it->first_index == 0)
        key_seen(L, find_key(it->key)); /* a member begins, as in dispatch() */
    if (it->elements) {
        sgr_element_importer fn = element_importer(it->key);
        sgr_line_index_shift(it->lines, fp->doc_line - 1);
        ctx->lines = it->lines;
        char path[512];
        for (size_t i = 0; i < json_array_size(it->elements); i++) {
            sgr_pathf(path, sizeof path, "$.%s[%zu]", it->key, it->first_index + i);
            fn(ctx, json_array_get(it->elements, i), path);
        }
        ctx->lines = NULL;
    }
    if (it->doc_last) {
        L->n_docs++;
        fp->docs++;
        ctx->doc = NULL;
        ctx->doc_line = 0;
        advance_to(it->text + it->offset, it->doc_used, fp->doc_line + it->doc_newlines, &fp->line, &fp->col);
        fp->end = it->offset + it->doc_used;
    }
}

/* One item of the feed (json_feed.h), in file order: what a file, a document
 * or a parse error means for the snapshot. Returns whether the document is
 * kept for later (Terraform). */
static bool take(loader *L, sgr_feed_item *it, file_pos *fp)
{
    sgr_snapshot *snap = L->snap;
    sgr_import_ctx *ctx = &fp->ctx;
    switch (it->kind) {
    case SGR_FEED_FILE: {
        memset(fp, 0, sizeof *fp);
        if (it->read_errno) {
            sgr_snapshot_diag(snap, SGR_SEV_ERROR, it->path, 0, 0, NULL, "cannot read: %s", strerror(it->read_errno));
            L->fatal = true;
            return false;
        }
        snap->n_files++;
        snap->inputs = sgr_arena_grow(snap->arena, snap->inputs, &snap->cap_inputs, snap->n_inputs + 1,
                                      sizeof *snap->inputs);
        L->input = SGR_NEW(snap->arena, sgr_input);
        L->input->path = sgr_intern(snap, it->path);
        snap->inputs[snap->n_inputs++] = L->input;
        L->n_empty_objects = 0;
        char account[128], region[128];
        labels_for(it->path, account, region, sizeof account);
        ctx->snap = snap;
        /* the file as every origin cites it: a name holding a newline or ESC is escaped */
        ctx->file = sgr_intern(snap, sgr_printable_in(snap->arena, it->path));
        ctx->account = account[0] ? sgr_intern(snap, account) : NULL;
        ctx->region = region[0] ? sgr_intern(snap, region) : NULL;
        ctx->opts = L->opts;
        fp->line = fp->col = 1;
        fp->end = it->offset; /* past a byte order mark, which no column counts */
        fp->bytes = it->text_len;
        return false;
    }
    case SGR_FEED_PIECE:
        if (!fp->skip)
            take_piece(L, it, fp);
        return false;
    case SGR_FEED_PARSE_ERROR: {
        if (fp->skip)
            return false;
        fp->skip = true; /* the file's rest is not read */
        advance(it->text + fp->end, it->offset - fp->end, &fp->line, &fp->col);
        const json_error_t *err = &it->err;
        uint32_t el = err->line > 0 ? fp->line + (uint32_t)err->line - 1 : fp->line;
        uint32_t ec = err->line == 1 ? fp->col + (uint32_t)(err->column > 0 ? err->column - 1 : 0)
                                     : (uint32_t)(err->column > 0 ? err->column : 0);
        if (!it->limit && sgr_strmap_get(L->by_content, 0, it->path)) {
            /* read for looking like JSON, without a .json name: it is not JSON after all */
            sgr_snapshot_diag(snap, SGR_SEV_WARNING, it->path, el, ec ? ec : 1, NULL,
                              "not JSON (%s): the rest of this file is skipped", err->text);
            if (L->input && !L->input->what)
                L->input->what = SGR_INPUT_NOT_JSON;
            return false;
        }
        sgr_snapshot_diag(snap, SGR_SEV_ERROR, it->path, el, ec ? ec : 1, NULL, "%s", err->text);
        L->fatal = true;
        return false;
    }
    case SGR_FEED_DOC: {
        if (fp->skip)
            return false;
        if (it->used != it->scanned_used) {
            take_rest(L, it, fp);
            return false;
        }
        advance(it->text + fp->end, it->offset - fp->end, &fp->line, &fp->col);
        uint32_t first = fp->line;
        sgr_line_index *lines = it->lines; /* indexed from line 1 by the parsing thread */
        it->lines = NULL;
        sgr_line_index_shift(lines, first - 1);
        uint32_t last_line = sgr_line_index_last_line(lines);
        ctx->lines = lines;
        ctx->doc = it->doc;
        L->n_docs++;
        fp->docs++;
        dispatch(L, ctx, it->doc, first, &lines);
        ctx->lines = NULL;
        ctx->doc = NULL;
        advance_to(it->text + it->offset, it->used, last_line, &fp->line, &fp->col);
        fp->end = it->offset + it->used;
        if (lines) {
            sgr_line_index_free(lines);
            return false;
        }
        return true; /* the deferred entry holds the document and its lines */
    }
    case SGR_FEED_FILE_END:
        if (!fp->docs && !L->fatal) {
            /* A truncated collection or a failed redirect leaves such files:
             * say which, and what it holds, not only that nothing loaded. */
            if (fp->bytes == 0)
                sgr_snapshot_diag(snap, SGR_SEV_WARNING, it->path, 0, 0, NULL,
                                  "no JSON document in this file: it is empty (0 bytes)");
            else
                sgr_snapshot_diag(snap, SGR_SEV_WARNING, it->path, 0, 0, NULL,
                                  "no JSON document in this file: it holds only whitespace (%zu bytes)",
                                  fp->bytes);
        }
        else if (L->input && !L->fatal)
            say_what_file_is(L, it->path);
        return false;
    }
    return false;
}

/* Whether a file met in a directory holds JSON, by its content and not its
 * name: CloudMapper's collect layout keeps calls in files without an
 * extension (ecs-describe-tasks/CLUSTER/TASK). AWS CLI output, Terraform JSON
 * and Batfish's files are objects: the first byte after a byte order mark
 * and blanks is `{`. */
static bool looks_like_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return true; /* let the reader say why it cannot be read */
    unsigned char buf[512];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    size_t i = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0;
    i = sgr_json_skip_space((const char *)buf, n, i);
    return i < n && buf[i] == '{';
}

/* What a path that is neither a regular file nor a directory is, for the
 * warning that names it. */
static const char *special_kind(mode_t mode)
{
    return S_ISFIFO(mode)  ? "a FIFO (named pipe)"
           : S_ISCHR(mode) ? "a character device"
           : S_ISBLK(mode) ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "a special file";
}

/* A file of a directory that is not read: counted (summary) by why. */
static void skip_file(loader *L, const char *path, uint32_t why)
{
    sgr_snapshot *snap = L->snap;
    snap->inputs = sgr_arena_grow(snap->arena, snap->inputs, &snap->cap_inputs, snap->n_inputs + 1, sizeof *snap->inputs);
    sgr_input *in = SGR_NEW(snap->arena, sgr_input);
    in->path = sgr_intern(snap, path);
    in->what = why;
    snap->inputs[snap->n_inputs++] = in;
}

/* Walks dir; returns the number of JSON files found below it (*.json, or
 * any file whose content is JSON: looks_like_json). */
static size_t walk_dir(loader *L, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        sgr_snapshot_diag(L->snap, SGR_SEV_ERROR, dir, 0, 0, NULL, "cannot read directory: %s",
                          strerror(errno));
        L->fatal = true;
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden entries such as .git */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = sgr_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = sgr_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str); /* qsort(NULL, 0) is undefined */
    size_t found = 0;
    size_t dlen = strlen(dir);
    bool slash = dlen && dir[dlen - 1] == '/';
    for (size_t i = 0; i < n; i++) {
        size_t plen = dlen + strlen(names[i]) + 2;
        char *p = sgr_xmalloc(plen);
        snprintf(p, plen, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat st;
        if (stat(p, &st) != 0) {
            /* A dangling symlink or a loop (ELOOP): nothing to read there. */
            if (has_suffix(names[i], ".json")) {
                sgr_snapshot_diag(L->snap, SGR_SEV_ERROR, p, 0, 0, NULL, "cannot read: %s",
                                  strerror(errno));
                L->fatal = true;
            }
        } else if (S_ISDIR(st.st_mode)) {
            char key[64];
            snprintf(key, sizeof key, "%llu:%llu", (unsigned long long)st.st_dev,
                     (unsigned long long)st.st_ino);
            if (!sgr_strmap_get(L->dirs_seen, 0, key)) {
                const char *k = sgr_arena_strdup(L->snap->arena, key);
                sgr_strmap_put(L->dirs_seen, 0, k, (void *)k);
                found += walk_dir(L, p);
            }
        } else if (has_suffix(names[i], ".json")) {
            if (S_ISREG(st.st_mode)) {
                found++;
                queue_file(L, p);
            } else {
                /* A FIFO or device would block or never end: never opened. */
                sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, p, 0, 0, NULL,
                                  "%s, not a regular file: skipped unread", special_kind(st.st_mode));
            }
        } else if (S_ISREG(st.st_mode)) {
            if (looks_like_json(p)) {
                found++;
                queue_file(L, p);
                const char *k = sgr_arena_strdup(L->snap->arena, p);
                sgr_strmap_put(L->by_content, 0, k, (void *)k);
            } else {
                skip_file(L, p, SGR_INPUT_NOT_JSON);
            }
        } else {
            /* Whatever its name, it is said, never skipped in silence: a dump
             * piped through a FIFO that was never filled is a missing dump. */
            sgr_snapshot_diag(L->snap, SGR_SEV_WARNING, p, 0, 0, NULL,
                              "%s, not a regular file: skipped unread", special_kind(st.st_mode));
        }
        free(p);
        free(names[i]);
    }
    free(names);
    return found;
}

static void load_path(loader *L, const char *path)
{
    if (strcmp(path, SGR_STDIN_PATH) == 0) {
        queue_file(L, path); /* named twice, it is read once (the files are deduplicated) */
        return;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        sgr_snapshot_diag(L->snap, SGR_SEV_ERROR, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        L->fatal = true;
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        char key[64];
        snprintf(key, sizeof key, "%llu:%llu", (unsigned long long)st.st_dev,
                 (unsigned long long)st.st_ino);
        if (sgr_strmap_get(L->dirs_seen, 0, key))
            return; /* given twice, or inside a directory already read */
        const char *k = sgr_arena_strdup(L->snap->arena, key);
        sgr_strmap_put(L->dirs_seen, 0, k, (void *)k);
        if (walk_dir(L, path) == 0 && !L->fatal) {
            sgr_snapshot_diag(L->snap, SGR_SEV_ERROR, path, 0, 0, NULL,
                              "no JSON file in this directory (no *.json file, and no other file whose content is a JSON object)");
            L->fatal = true;
        }
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        sgr_snapshot_diag(L->snap, SGR_SEV_ERROR, path, 0, 0, NULL, "%s, not a regular file or directory",
                          special_kind(st.st_mode));
        L->fatal = true;
        return;
    }
    queue_file(L, path);
}

static bool holds_something(const sgr_snapshot *snap)
{
    const uint32_t analysable = SGR_INPUT_AWS | SGR_INPUT_TF_PLAN | SGR_INPUT_TF_STATE;
    for (uint32_t i = 0; i < snap->n_inputs; i++)
        if (snap->inputs[i]->what & analysable)
            return true;
    return false;
}

/* Every file was recognised as nothing, or held no JSON at all (each warned
 * already): one error that names them, so that a wrong or empty file never
 * reads as an empty, clean estate. `what` is what none of them holds. */
static void refuse_empty_load(sgr_snapshot *snap, const char *what)
{
    char names[512];
    size_t used = 0;
    names[0] = '\0';
    for (uint32_t i = 0; i < snap->n_inputs && used + 1 < sizeof names; i++) {
        int k = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", snap->inputs[i]->path);
        if (k < 0 || (size_t)k >= sizeof names - used) {
            snprintf(names + sizeof names - 5, 5, "...");
            break;
        }
        used += (size_t)k;
    }
    const char *file = snap->n_inputs == 1 ? snap->inputs[0]->path : NULL;
    if (file)
        sgr_snapshot_diag(snap, SGR_SEV_ERROR, file, 0, 0, NULL, "%s in this file", what);
    else if (names[0])
        sgr_snapshot_diag(snap, SGR_SEV_ERROR, NULL, 0, 0, NULL, "%s in %s", what, names);
    else
        sgr_snapshot_diag(snap, SGR_SEV_ERROR, NULL, 0, 0, NULL, "%s in the snapshot", what);
}

/* Documents split from split_bytes on (0: none); *restart when a piece did
 * not parse (the snapshot is then incomplete: the caller loads again). */
static sgr_load_status load(const char *const *paths, size_t n_paths, const sgr_load_options *opts,
                            size_t split_bytes, sgr_snapshot **out, bool *restart)
{
    sgr_snapshot *snap = sgr_xcalloc(1, sizeof *snap);
    snap->arena = sgr_arena_new();
    snap->index = SGR_NEW(snap->arena, struct sgr_index);
    snap->index->objects = sgr_strmap_new(snap->arena);
    snap->index->strings = sgr_strmap_new(snap->arena);
    snap->index->once = sgr_strmap_new(snap->arena);
    snap->index->rule_keys = sgr_strmap_new(snap->arena);
    snap->index->caps = sgr_strmap_new(snap->arena);
    loader L = {0};
    L.snap = snap;
    if (opts)
        L.opts = *opts;
    if (L.opts.ephemeral_from == 0 && L.opts.ephemeral_to == 0) {
        L.opts.ephemeral_from = 1024;
        L.opts.ephemeral_to = 65535;
    }
    L.dirs_seen = sgr_strmap_new(snap->arena);
    L.by_content = sgr_strmap_new(snap->arena);
    L.pool = sgr_json_pool_begin();
    for (size_t i = 0; i < n_paths; i++)
        load_path(&L, paths[i]);
    if (L.n_files)
        qsort(L.files, L.n_files, sizeof *L.files, cmp_str);
    /* The same file named twice (a directory and a file in it) is read once. */
    size_t n_unique = 0;
    for (size_t i = 0; i < L.n_files; i++) {
        if (n_unique && strcmp(L.files[i], L.files[n_unique - 1]) == 0)
            free(L.files[i]);
        else
            L.files[n_unique++] = L.files[i];
    }
    L.stand_in = json_object();
    sgr_feed *feed = sgr_feed_start((const char *const *)L.files, n_unique,
                                    split_bytes ? classify_key : NULL, split_bytes);
    file_pos fp = {0};
    for (sgr_feed_item *it; !L.restart && (it = sgr_feed_next(feed));)
        sgr_feed_release(feed, it, take(&L, it, &fp));
    /* Terraform last: a plan is laid over what the live dumps describe. */
    for (size_t i = 0; i < L.n_tf; i++) {
        if (!L.fatal && !L.restart)
            sgr_import_terraform(&L.tf[i].ctx, L.tf[i].doc);
        json_decref(L.tf[i].doc);
        sgr_line_index_free(L.tf[i].lines);
    }
    sgr_feed_end(feed); /* after Terraform: its documents live in the feed's pools */
    sgr_json_pool_free(L.rest_pool);
    for (size_t i = 0; i < n_unique; i++)
        free(L.files[i]);
    free(L.files);
    sgr_json_pool_end(L.pool);
    free(L.tf);
    *restart = L.restart;
    if (L.restart) {
        *out = snap;
        return SGR_LOAD_ERROR;
    }
    if (!n_paths) {
        sgr_snapshot_diag(snap, SGR_SEV_ERROR, NULL, 0, 0, NULL, "no snapshot given");
        L.fatal = true;
    } else if (!L.fatal && L.n_docs == 0) {
        refuse_empty_load(snap, "nothing to analyse: no JSON document");
        L.fatal = true;
    } else if (!L.fatal && !holds_something(snap)) {
        refuse_empty_load(snap, "nothing to analyse: no AWS CLI output, Terraform plan or state");
        L.fatal = true;
    }
    sgr_link(snap);
    if (snap->index->dropped_diags) {
        uint32_t dropped = snap->index->dropped_diags;
        sgr_snapshot_diag(snap, SGR_SEV_WARNING, NULL, 0, 0, NULL,
                          "%u more warnings not kept", dropped);
    }
    *out = snap;
    return L.fatal ? SGR_LOAD_ERROR : SGR_LOAD_OK;
}

sgr_load_status sgr_snapshot_load(const char *const *paths, size_t n_paths,
                                  const sgr_load_options *opts, sgr_snapshot **out)
{
    bool restart = false;
    sgr_load_status st = load(paths, n_paths, opts, opts && opts->split_all ? 1 : SPLIT_BYTES, out, &restart);
    if (!restart)
        return st;
    /* A split document does not parse: what it imported before the bad piece
     * must not show. Whole, jansson reports the error as a one-thread load does. */
    sgr_snapshot_free(*out);
    return load(paths, n_paths, opts, 0, out, &restart);
}

void sgr_snapshot_free(sgr_snapshot *snap)
{
    if (!snap)
        return;
    sgr_arena_free(snap->arena);
    free(snap);
}
