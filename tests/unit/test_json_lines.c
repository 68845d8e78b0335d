#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "load/json_lines.h"
#include "load_helper.h"

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *doc = json_loadb(text, strlen(text), 0, &e);
    assert_non_null(doc);
    return doc;
}

static void maps_containers_to_lines(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"Vpcs\": [\n"
                       "    {\"VpcId\": \"vpc-1\", \"Tags\": [\n"
                       "      {\"Key\": \"Name\", \"Value\": \"a } [ \\\" {\"}\n"
                       "    ]},\n"
                       "    {\n"
                       "      \"VpcId\": \"vpc-2\", \"Cidr\": {}\n"
                       "    }\n"
                       "  ],\n"
                       "  \"Empty\": [], \"N\": [1, 2, [3]]\n"
                       "}\n";
    json_t *doc = parse(text);
    sgr_line_index *idx = sgr_line_index_build(doc, text, strlen(text), 1);
    json_t *vpcs = json_object_get(doc, "Vpcs");
    assert_int_equal(sgr_line_index_get(idx, doc), 1);
    assert_int_equal(sgr_line_index_get(idx, vpcs), 2);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(vpcs, 0)), 3);
    json_t *tags = json_object_get(json_array_get(vpcs, 0), "Tags");
    assert_int_equal(sgr_line_index_get(idx, tags), 3);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(tags, 0)), 4);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(vpcs, 1)), 6);
    assert_int_equal(sgr_line_index_get(idx, json_object_get(json_array_get(vpcs, 1), "Cidr")), 7);
    assert_int_equal(sgr_line_index_get(idx, json_object_get(doc, "Empty")), 10);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(json_object_get(doc, "N"), 2)), 10);
    /* Scalars are not mapped. */
    assert_int_equal(sgr_line_index_get(idx, json_object_get(json_array_get(vpcs, 0), "VpcId")), 0);
    assert_int_equal(sgr_line_index_get(NULL, doc), 0);
    sgr_line_index_free(idx);
    json_decref(doc);
}

static void first_line_offsets(void **state)
{
    (void)state;
    const char *text = "{\"a\":\n[{}]}";
    json_t *doc = parse(text);
    sgr_line_index *idx = sgr_line_index_build(doc, text, strlen(text), 40);
    assert_int_equal(sgr_line_index_get(idx, doc), 40);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(json_object_get(doc, "a"), 0)), 41);
    sgr_line_index_free(idx);
    json_decref(doc);
}

static void duplicate_keys_stop_mapping_below(void **state)
{
    (void)state;
    /* jansson keeps one "a": the text has 3 members, the tree 2. */
    const char *text = "{\"x\": {\n\"a\": [\n{}],\n\"b\": {},\n\"a\": {\"c\": []}\n},\n\"y\": [\n{}]}";
    json_t *doc = parse(text);
    sgr_line_index *idx = sgr_line_index_build(doc, text, strlen(text), 1);
    json_t *x = json_object_get(doc, "x");
    assert_int_equal(sgr_line_index_get(idx, x), 1);
    assert_int_equal(sgr_line_index_get(idx, json_object_get(x, "a")), 0);
    assert_int_equal(sgr_line_index_get(idx, json_object_get(x, "b")), 0);
    /* Containers after the mismatch are mapped again. */
    json_t *y = json_object_get(doc, "y");
    assert_int_equal(sgr_line_index_get(idx, y), 7);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(y, 0)), 8);
    sgr_line_index_free(idx);
    json_decref(doc);
}

static void many_containers(void **state)
{
    (void)state;
    /* 20,000 objects, one per line: every one mapped to its own line. */
    size_t n = 20000, cap = n * 16 + 16, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text + len, "[\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "{\"i\": %zu}%s\n", i, i + 1 < n ? "," : "");
    len += (size_t)sprintf(text + len, "]");
    json_t *doc = parse(text);
    sgr_line_index *idx = sgr_line_index_build(doc, text, len, 1);
    for (size_t i = 0; i < n; i += 997)
        assert_int_equal(sgr_line_index_get(idx, json_array_get(doc, i)), i + 2);
    assert_int_equal(sgr_line_index_get(idx, json_array_get(doc, n - 1)), n + 1);
    sgr_line_index_free(idx);
    json_decref(doc);
    free(text);
}

static void loader_lines_across_documents(void **state)
{
    (void)state;
    /* Three documents in one file: origins carry lines of the file, not of the document. */
    sgr_snapshot *s = load_text("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]}\n"
                                "\n"
                                "{\"Vpcs\": [\n"
                                "  {\"VpcId\": \"vpc-2\"}]}   {\"Subnets\": [\n"
                                "\n"
                                "{\"SubnetId\": \"subnet-1\", \"CidrBlock\": \"10.0.0.0/33\"}]}\n");
    assert_int_equal(s->n_vpcs, 2);
    assert_int_equal(s->vpcs[0]->origin.line, 1);
    assert_int_equal(s->vpcs[1]->origin.line, 4);
    assert_string_equal(s->vpcs[1]->origin.path, "$.Vpcs[0]");
    assert_int_equal(s->n_subnets, 1);
    assert_int_equal(s->subnets[0]->origin.line, 6);
    const sgr_diag *d = diag_find(s, "invalid CIDR");
    assert_non_null(d);
    assert_int_equal(d->line, 6);
    assert_string_equal(d->path, "$.Subnets[0].CidrBlock");
    assert_int_equal(s->n_files, 1);
    sgr_snapshot_free(s);
}

static void syntax_error_location(void **state)
{
    (void)state;
    /* The error is in the second document, on line 3 of the file. */
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "x.json", "{\"Vpcs\": []}\n{\"Subnets\":\n  [1,, 2]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_ERROR);
    const sgr_diag *e = NULL;
    for (uint32_t i = 0; i < s->n_diags; i++)
        if (s->diags[i]->severity == SGR_SEV_ERROR)
            e = s->diags[i];
    assert_non_null(e);
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 6);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_containers_to_lines),
        cmocka_unit_test(first_line_offsets),
        cmocka_unit_test(duplicate_keys_stop_mapping_below),
        cmocka_unit_test(many_containers),
        cmocka_unit_test(loader_lines_across_documents),
        cmocka_unit_test(syntax_error_location),
    };
    return cmocka_run_group_tests_name("json_lines", tests, NULL, NULL);
}
