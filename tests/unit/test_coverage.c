/* The collector's manifest (analyzer/load/coverage.c): entries per (account,
 * region, call), statuses, per-object failures, the load balancers whose
 * listeners become unknown, the gap told without a manifest, and what each
 * file of a load was recognised as. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/import.h"
#include "load_helper.h"

#define ALB1 "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/one/1"
#define ALB2 "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/two/2"
#define ALB3 "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/three/3"

static const char *LBS = "{\"LoadBalancers\": [\n"
                         " {\"LoadBalancerArn\": \"" ALB1 "\", \"LoadBalancerName\": \"one\", \"Type\": \"application\"},\n"
                         " {\"LoadBalancerArn\": \"" ALB2 "\", \"LoadBalancerName\": \"two\", \"Type\": \"application\"},\n"
                         " {\"LoadBalancerArn\": \"" ALB3 "\", \"LoadBalancerName\": \"three\", \"Type\": \"application\"}]}\n";

static const sgr_coverage *entry(const sgr_snapshot *s, const char *region, const char *call)
{
    for (uint32_t i = 0; i < s->n_coverage; i++)
        if (s->coverage[i]->region && strcmp(s->coverage[i]->region, region) == 0 && strcmp(s->coverage[i]->call, call) == 0)
            return s->coverage[i];
    return NULL;
}

static bool has_diag(const sgr_snapshot *s, const char *text)
{
    for (uint32_t i = 0; i < s->n_diags; i++)
        if (strstr(s->diags[i]->message, text))
            return true;
    return false;
}

static void manifest_entries(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "lbs.json", LBS);
    tdir_write(&d, "listeners.json", "{\"Listeners\": [{\"ListenerArn\": \"l-3\", \"LoadBalancerArn\": \"" ALB3
                                     "\", \"Port\": 443, \"Protocol\": \"HTTPS\"}]}\n");
    tdir_write(&d, "123456789012/us-east-1/collect-manifest.json",
               "{\"SgreachCollection\": {\"Version\": 1, \"Account\": \"123456789012\", \"Region\": \"us-east-1\", \"Calls\": [\n"
               " {\"Region\": \"us-east-1\", \"Call\": \"ec2 describe-vpcs\", \"Status\": \"ok\"},\n"
               " {\"Region\": \"us-east-1\", \"Call\": \"elbv2 describe-listeners\", \"Target\": \"" ALB1 "\", \"Status\": \"ok\"},\n"
               " {\"Region\": \"us-east-1\", \"Call\": \"elbv2 describe-listeners\", \"Target\": \"" ALB2
               "\", \"Status\": \"denied\", \"Error\": \"AccessDenied\"},\n"
               " {\"Region\": \"us-east-1\", \"Call\": \"ecs list-clusters\", \"Status\": \"throttled\", \"Error\": \"Rate exceeded\"},\n"
               " {\"Region\": \"us-east-1\", \"Call\": \"rds describe-db-instances\", \"Status\": \"exploded\"},\n"
               " {\"Status\": \"ok\"}]}}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    /* sorted by account, region, call */
    assert_int_equal(s->n_coverage, 4);
    assert_string_equal(s->coverage[0]->call, "ec2 describe-vpcs");
    assert_string_equal(s->coverage[3]->call, "rds describe-db-instances");
    const sgr_coverage *l = entry(s, "us-east-1", "elbv2 describe-listeners");
    assert_non_null(l);
    assert_string_equal(l->account, "123456789012");
    assert_int_equal(l->status, SGR_CALL_DENIED);
    assert_int_equal(l->n_calls, 2);
    assert_int_equal(l->n_failed, 1);
    assert_string_equal(l->error, "AccessDenied");
    assert_int_equal(l->failed_targets.count, 1);
    assert_string_equal(l->failed_targets.items[0], ALB2);
    assert_non_null(l->unknown);
    assert_int_equal(l->origin.line, 4); /* the failed entry, not the first call */
    assert_int_equal(entry(s, "us-east-1", "ecs list-clusters")->status, SGR_CALL_THROTTLED);
    assert_int_equal(entry(s, "us-east-1", "rds describe-db-instances")->status, SGR_CALL_FAILED);
    assert_int_equal(entry(s, "us-east-1", "ec2 describe-vpcs")->status, SGR_CALL_OK);
    assert_null(entry(s, "us-east-1", "ec2 describe-vpcs")->unknown);
    assert_true(has_diag(s, "unknown Status \"exploded\": taken as failed"));
    assert_true(has_diag(s, "no Call; ignored"));
    assert_true(has_diag(s, "elbv2 describe-listeners denied in us-east-1 (1 of 2 calls): AccessDenied; unknown: paths"));
    /* only the load balancer whose call failed has unknown listeners; a
     * listener dump is in the snapshot, so no gap is told for the others */
    const sgr_lb *one = sgr_snapshot_find(s, SGR_KIND_LB, ALB1), *two = sgr_snapshot_find(s, SGR_KIND_LB, ALB2),
                 *three = sgr_snapshot_find(s, SGR_KIND_LB, ALB3);
    assert_null(one->listeners_unknown);
    assert_non_null(two->listeners_unknown);
    assert_non_null(strstr(two->listeners_unknown, "the listeners of two were not read (elbv2 describe-listeners denied"));
    assert_null(three->listeners_unknown);
    /* what each file was */
    assert_int_equal(s->n_inputs, 3);
    assert_int_equal(s->inputs[0]->what, SGR_INPUT_MANIFEST);
    assert_int_equal(s->inputs[1]->what, SGR_INPUT_AWS);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void listeners_absent(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "lbs.json", LBS);
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    for (uint32_t i = 0; i < s->n_lbs; i++)
        assert_non_null(s->lbs[i]->listeners_unknown);
    assert_true(has_diag(s, "3 load balancers are described but no describe-listeners output is in the snapshot"));
    /* one absent entry per region, naming its load balancers */
    assert_int_equal(s->n_coverage, 2);
    assert_string_equal(s->coverage[0]->region, "eu-west-1");
    assert_int_equal(s->coverage[0]->status, SGR_CALL_ABSENT);
    assert_int_equal(s->coverage[1]->failed_targets.count, 2);
    assert_string_equal(sgr_call_status_name(s->coverage[1]->status), "absent");
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void inputs_recognised(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "a.json", "{}\n");
    tdir_write(&d, "b.json", "{\"@level\": \"info\", \"@message\": \"Plan: 1 to add\", \"type\": \"change_summary\"}\n"
                             "{\"@level\": \"info\", \"@message\": \"done\"}\n");
    tdir_write(&d, "c.json", "{\"Regions\": []}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_ERROR);
    assert_int_equal(s->inputs[0]->what, 0);
    assert_int_equal(s->inputs[1]->what, SGR_INPUT_TF_LOG);
    assert_int_equal(s->inputs[2]->what, SGR_INPUT_AWS_UNUSED);
    assert_true(has_diag(s, "recognised as nothing: an empty JSON object"));
    assert_true(has_diag(s, "log stream"));
    assert_true(has_diag(s, "nothing to analyse: no AWS CLI output, Terraform plan or state in"));
    sgr_snapshot_free(s);
    /* beside one AWS document, the same files load (warned) */
    tdir_write(&d, "d.json", "{\"Vpcs\": []}\n");
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manifest_entries),
        cmocka_unit_test(listeners_absent),
        cmocka_unit_test(inputs_recognised),
    };
    return cmocka_run_group_tests_name("coverage", tests, NULL, NULL);
}
