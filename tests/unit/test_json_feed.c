#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/json_feed.h"
#include "load/json_pool.h"

static char *write_tmp(const char *text, size_t n)
{
    char *path = strdup("/tmp/sgr-feed-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Items come in file order: FILE, each DOC with its offset and length, the
 * parse error (which ends the file), FILE_END with the count; a file that
 * cannot be read is a FILE item with its errno and nothing else. */
static void items_in_file_order(void **state)
{
    (void)state;
    const char a[] = "\xEF\xBB\xBF{\"A\": 1}\n  {\"B\": [2]}\n{\"C\": ";
    const char b[] = "[1]";
    char *pa = write_tmp(a, sizeof a - 1), *pb = write_tmp(b, sizeof b - 1);
    const char *paths[] = {pa, "/nonexistent/sgr-feed.json", pb};
    sgr_json_pool *main_pool = sgr_json_pool_begin();
    sgr_feed *f = sgr_feed_start(paths, 3, NULL, 0);
    sgr_feed_item *it;

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_FILE);
    assert_int_equal(it->read_errno, 0);
    assert_int_equal(it->offset, 3); /* past the byte order mark */
    sgr_feed_release(f, it, false);

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_DOC);
    assert_int_equal(it->offset, 3);
    assert_int_equal(json_integer_value(json_object_get(it->doc, "A")), 1);
    assert_memory_equal(it->text + it->offset, "{\"A\": 1}", it->used);
    sgr_feed_release(f, it, false);

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_DOC);
    assert_int_equal(it->offset, 14);
    assert_true(json_is_array(json_object_get(it->doc, "B")));
    json_t *kept = it->doc;
    sgr_feed_release(f, it, true); /* kept: must stay readable after later documents */

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_PARSE_ERROR);
    assert_int_equal(it->offset, 25);
    assert_int_equal(it->err.line, 1);
    sgr_feed_release(f, it, false);

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_FILE_END);
    assert_int_equal(it->n_docs, 2);
    sgr_feed_release(f, it, false);

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_FILE);
    assert_int_not_equal(it->read_errno, 0);
    sgr_feed_release(f, it, false);

    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_FILE);
    sgr_feed_release(f, it, false);
    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_DOC);
    assert_int_equal(json_array_size(it->doc), 1);
    sgr_feed_release(f, it, false);
    it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_FILE_END);
    sgr_feed_release(f, it, false);

    assert_null(sgr_feed_next(f));
    assert_int_equal(json_array_size(json_object_get(kept, "B")), 1);
    json_decref(kept);
    sgr_feed_end(f);
    sgr_json_pool_end(main_pool);
    unlink(pa);
    unlink(pb);
    free(pa);
    free(pb);
}

/* A loader that stops early: ending the feed drains and frees the rest. */
static void end_drains(void **state)
{
    (void)state;
    char *p = write_tmp("{}{}{}{}{}", 10);
    const char *paths[] = {p, p, p};
    sgr_json_pool *main_pool = sgr_json_pool_begin();
    sgr_feed *f = sgr_feed_start(paths, 3, NULL, 0);
    sgr_feed_item *it = sgr_feed_next(f);
    assert_int_equal(it->kind, SGR_FEED_FILE);
    sgr_feed_release(f, it, false);
    sgr_feed_end(f);
    sgr_json_pool_end(main_pool);
    unlink(p);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(items_in_file_order),
        cmocka_unit_test(end_drains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
