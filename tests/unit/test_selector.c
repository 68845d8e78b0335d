/*
 * Selectors (SPEC section 3, docs/selectors.md) over a model built by hand:
 * every form, the expansions (interfaces as their task or LB, instances as
 * their own interfaces, groups/subnets/VPCs as what they hold, services as
 * their tasks, target groups as their targets), regex errors, suggestions,
 * and deterministic output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "graph/arena.h"
#include "load/import.h"
#include "sgreach/selector.h"

#define ADD(snap, vec, obj)                                                                      \
    do {                                                                                         \
        (snap)->vec = sgr_arena_grow((snap)->arena, (snap)->vec, &(snap)->cap_##vec,             \
                                     (snap)->n_##vec + 1, sizeof *(snap)->vec);                  \
        (snap)->vec[(snap)->n_##vec++] = (obj);                                                  \
    } while (0)

#define ARN_ECS "arn:aws:ecs:us-east-1:111122223333:"
#define ARN_ELB "arn:aws:elasticloadbalancing:us-east-1:111122223333:"

typedef struct estate {
    sgr_snapshot *snap;
    sgr_eni *eni1, *eni1b, *eni_t1, *eni_lb, *eni2, *eni_c;
    sgr_task *t1, *t2;
    sgr_lb *alb;
    sgr_db *db;
} estate;

static sgr_ip ip4(const char *text)
{
    sgr_ip ip;
    assert_true(sgr_parse_ip(text, &ip));
    return ip;
}

static sgr_strs strs(sgr_arena *a, const char *x, const char *y)
{
    sgr_strs s = {SGR_NEW_N(a, const char *, 2), 0};
    if (x)
        s.items[s.count++] = x;
    if (y)
        s.items[s.count++] = y;
    return s;
}

static sgr_tags tag1(sgr_arena *a, const char *k, const char *v)
{
    sgr_tags t = {SGR_NEW(a, sgr_tag), 1};
    t.items[0] = (sgr_tag){k, v};
    return t;
}

static sgr_eni *eni(estate *e, const char *id, const char *subnet, const char *addr,
                    const char *g1, const char *g2)
{
    sgr_arena *a = e->snap->arena;
    sgr_eni *x = SGR_NEW(a, sgr_eni);
    x->id = id;
    x->vpc_id = "vpc-1";
    x->subnet_id = subnet;
    x->private_ips = SGR_NEW(a, sgr_ip);
    x->private_ips[0] = ip4(addr);
    x->n_private_ips = 1;
    x->group_ids = strs(a, g1, g2);
    x->device_index = -1;
    ADD(e->snap, enis, x);
    return x;
}

static sgr_sg *sg(estate *e, const char *id, const char *name)
{
    sgr_sg *x = SGR_NEW(e->snap->arena, sgr_sg);
    x->id = id;
    x->name = name;
    x->vpc_id = "vpc-1";
    x->described = true;
    ADD(e->snap, sgs, x);
    return x;
}

static sgr_subnet *subnet(estate *e, const char *id, const char *name, const char *tf)
{
    sgr_subnet *x = SGR_NEW(e->snap->arena, sgr_subnet);
    x->id = id;
    x->vpc_id = "vpc-1";
    x->name = name;
    x->origin.tf_address = tf;
    ADD(e->snap, subnets, x);
    return x;
}

static sgr_service *service(estate *e, const char *cluster, const char *name)
{
    sgr_service *x = SGR_NEW(e->snap->arena, sgr_service);
    x->name = name;
    x->cluster_arn = sgr_arena_printf(e->snap->arena, ARN_ECS "cluster/%s", cluster);
    x->arn = sgr_arena_printf(e->snap->arena, ARN_ECS "service/%s/%s", cluster, name);
    x->desired_count = -1;
    ADD(e->snap, services, x);
    return x;
}

static sgr_task *task(estate *e, sgr_service *svc, const char *cluster, const char *id)
{
    sgr_arena *a = e->snap->arena;
    sgr_task *x = SGR_NEW(a, sgr_task);
    x->id = id;
    x->arn = sgr_arena_printf(a, ARN_ECS "task/%s/%s", cluster, id);
    x->cluster_arn = svc->cluster_arn;
    x->group = sgr_arena_printf(a, "service:%s", svc->name);
    x->service = svc;
    if (!svc->tasks)
        svc->tasks = SGR_NEW_N(a, sgr_task *, 8);
    svc->tasks[svc->n_tasks++] = x;
    ADD(e->snap, tasks, x);
    return x;
}

/*
 * vpc-1 "prod": subnet-a (private-a, aws_subnet.private[0]), subnet-c
 * (aws_subnet.private["c"]), subnet-b (public-b, aws_subnet.private_b).
 * i-1 "bastion" (env=prod): eni-1 (primary, 10.0.1.10, 54.1.2.3, 2001:db8::10,
 * sg-web) and eni-1b (10.0.1.11); eni-t1 is attached to i-1 but belongs to the
 * awsvpc task abc123 of service prod/api. i-2: eni-2, runs the bridge task
 * def456 of prod/worker on host port 32768. ALB web-alb: eni-lb (10.0.2.50).
 * Service staging/api has no tasks. Target group api-tg: ip target eni-t1,
 * instance target i-2:32768 and ip 10.9.9.9 (outside). orders-db: sg-db,
 * 10.0.1.99, module.net.aws_security_group.db. sg-lonely is carried by nothing.
 */
static estate build(bool reversed)
{
    estate e = {0};
    sgr_arena *a = sgr_arena_new();
    e.snap = SGR_NEW(a, sgr_snapshot);
    e.snap->arena = a;

    sgr_vpc *vpc = SGR_NEW(a, sgr_vpc);
    vpc->id = "vpc-1";
    vpc->name = "prod";
    ADD(e.snap, vpcs, vpc);
    subnet(&e, "subnet-a", "private-a", "aws_subnet.private[0]");
    subnet(&e, "subnet-c", NULL, "aws_subnet.private[\"c\"]");
    subnet(&e, "subnet-b", "public-b", "aws_subnet.private_b");
    sgr_sg *web = sg(&e, "sg-web", "web-sg");
    web->tags = tag1(a, "team", "web");
    sg(&e, "sg-alb", "alb-sg");
    sgr_sg *dbsg = sg(&e, "sg-db", "db-sg");
    dbsg->origin.tf_address = "module.net.aws_security_group.db";
    sg(&e, "sg-lonely", "lonely");

    sgr_instance *i1 = SGR_NEW(a, sgr_instance);
    i1->id = "i-1";
    i1->name = "bastion";
    i1->tags = tag1(a, "env", "prod");
    ADD(e.snap, instances, i1);
    sgr_instance *i2 = SGR_NEW(a, sgr_instance);
    i2->id = "i-2";
    ADD(e.snap, instances, i2);

    e.eni1 = eni(&e, "eni-1", "subnet-a", "10.0.1.10", "sg-web", NULL);
    e.eni1->public_ips = SGR_NEW(a, sgr_public_ip);
    e.eni1->public_ips[0].ip = ip4("54.1.2.3");
    e.eni1->n_public_ips = 1;
    e.eni1->ipv6 = SGR_NEW(a, sgr_ip);
    e.eni1->ipv6[0] = ip4("2001:db8::10");
    e.eni1->n_ipv6 = 1;
    e.eni1->instance = i1;
    e.eni1->attached_instance = "i-1";
    e.eni1->device_index = 0;
    i1->primary_eni = e.eni1;
    e.eni1b = eni(&e, "eni-1b", "subnet-a", "10.0.1.11", NULL, NULL);
    e.eni1b->attached_instance = "i-1"; /* only the id: link may leave ->instance */
    e.eni_t1 = eni(&e, "eni-t1", "subnet-a", "10.0.1.20", "sg-web", NULL);
    e.eni_t1->instance = i1;
    e.eni_t1->owner_kind = SGR_ENI_OWNER_TASK;
    e.eni2 = eni(&e, "eni-2", "subnet-b", "10.0.2.10", NULL, NULL);
    e.eni2->instance = i2;
    i2->primary_eni = e.eni2;
    e.eni_lb = eni(&e, "eni-lb", "subnet-b", "10.0.2.50", "sg-alb", NULL);
    e.eni_lb->owner_kind = SGR_ENI_OWNER_LB;
    e.eni_c = eni(&e, "eni-c", "subnet-c", "10.0.3.10", NULL, NULL);

    sgr_service *api = service(&e, "prod", "api");
    api->tags = tag1(a, "team", "api");
    api->origin.tf_address = "aws_ecs_service.api";
    sgr_service *worker = service(&e, "prod", "worker");
    service(&e, "staging", "api");
    e.t1 = task(&e, api, "prod", "abc123");
    e.t1->eni = e.eni_t1;
    e.eni_t1->task = e.t1;
    e.t2 = task(&e, worker, "prod", "def456");
    e.t2->instance = i2;
    e.t2->containers = SGR_NEW(a, sgr_task_container);
    e.t2->n_containers = 1;
    e.t2->containers[0].bindings = SGR_NEW(a, sgr_network_binding);
    e.t2->containers[0].n_bindings = 1;
    e.t2->containers[0].bindings[0] = (sgr_network_binding){
        .container_port = 8080, .container_port_end = 8080, .host_port = 32768,
        .host_port_end = 32768, .protocol = SGR_PROTO_TCP};

    e.alb = SGR_NEW(a, sgr_lb);
    e.alb->name = "web-alb";
    e.alb->arn = ARN_ELB "loadbalancer/app/web-alb/50dc6c495c0c9188";
    e.alb->vpc_id = "vpc-1";
    e.alb->subnet_ids = strs(a, "subnet-b", NULL);
    e.alb->group_ids = strs(a, "sg-alb", NULL);
    e.alb->enis = SGR_NEW(a, sgr_eni *);
    e.alb->enis[0] = e.eni_lb;
    e.alb->n_enis = 1;
    e.eni_lb->lb = e.alb;
    ADD(e.snap, lbs, e.alb);

    sgr_target_group *tg = SGR_NEW(a, sgr_target_group);
    tg->arn = ARN_ELB "targetgroup/api-tg/73e2d6bc24d8a067";
    tg->name = "api-tg";
    tg->port = 8080;
    tg->targets_known = true;
    tg->targets = SGR_NEW_N(a, sgr_target, 3);
    tg->targets[0] = (sgr_target){.id = "10.0.1.20", .port = 8080, .eni = e.eni_t1};
    tg->targets[1] = (sgr_target){.id = "i-2", .port = 32768, .instance = i2};
    tg->targets[2] = (sgr_target){.id = "10.9.9.9", .port = -1};
    tg->n_targets = 3;
    ADD(e.snap, target_groups, tg);
    sgr_target_group *empty = SGR_NEW(a, sgr_target_group);
    empty->arn = ARN_ELB "targetgroup/empty-tg/0000000000000001";
    empty->name = "empty-tg";
    ADD(e.snap, target_groups, empty);

    e.db = SGR_NEW(a, sgr_db);
    e.db->id = "orders-db";
    e.db->vpc_id = "vpc-1";
    e.db->group_ids = strs(a, "sg-db", NULL);
    e.db->address = ip4("10.0.1.99");
    e.db->origin.tf_address = "module.net.aws_db_instance.orders";
    ADD(e.snap, dbs, e.db);

    if (reversed) { /* same estate, every vector in the opposite order */
#define REV(vec)                                                                                  \
    for (uint32_t i = 0, j = e.snap->n_##vec; j-- > i; i++) {                                    \
        void *t = (void *)e.snap->vec[i];                                                         \
        e.snap->vec[i] = e.snap->vec[j];                                                          \
        e.snap->vec[j] = t;                                                                       \
    }
        REV(enis) REV(sgs) REV(subnets) REV(tasks) REV(services) REV(instances) REV(target_groups)
#undef REV
    }
    return e;
}

/* The selection as one line: "internet cidr:… eni:… task:… lb:… db:…", in order. */
static const char *show(sgr_arena *a, const sgr_selection *s)
{
    char *out = sgr_arena_strdup(a, s->internet ? "internet" : "");
    char buf[64];
    for (uint32_t i = 0; i < s->n_cidrs; i++)
        out = sgr_arena_printf(a, "%s cidr:%s", out, sgr_format_prefix(&s->cidrs[i], buf, sizeof buf));
    for (uint32_t i = 0; i < s->n_enis; i++)
        out = sgr_arena_printf(a, "%s eni:%s", out, s->enis[i]->id);
    for (uint32_t i = 0; i < s->n_tasks; i++)
        out = sgr_arena_printf(a, "%s task:%s", out, s->tasks[i]->id);
    for (uint32_t i = 0; i < s->n_lbs; i++)
        out = sgr_arena_printf(a, "%s lb:%s", out, s->lbs[i]->name);
    for (uint32_t i = 0; i < s->n_dbs; i++)
        out = sgr_arena_printf(a, "%s db:%s", out, s->dbs[i]->id);
    return out[0] == ' ' ? out + 1 : out;
}

/* Parses and resolves `text`; returns the selection shown, *note the suggestion. */
static const char *sel(estate *e, const char *text, const char **note)
{
    sgr_arena *a = e->snap->arena;
    const char *err = NULL;
    sgr_selector *s = sgr_selector_parse(a, text, &err);
    if (!s)
        fail_msg("parse of '%s' failed: %s", text, err);
    assert_null(err);
    assert_string_equal(sgr_selector_text(s), text);
    sgr_selection out;
    const char *suggest = "unset";
    uint32_t n = sgr_selector_resolve(s, e->snap, a, &out, &suggest);
    sgr_selector_free(s);
    assert_null(out.error);
    assert_int_equal(n, (out.internet ? 1 : 0) + out.n_cidrs + out.n_enis + out.n_tasks +
                            out.n_lbs + out.n_dbs);
    if (n)
        assert_null(suggest);
    if (note)
        *note = suggest;
    return show(a, &out);
}

static void teardown_estate(estate *e)
{
    sgr_arena_free(e->snap->arena);
}

typedef struct want {
    const char *selector;
    const char *selection;
} want;

static void check_all(const want *w, size_t n)
{
    estate e = build(false);
    for (size_t i = 0; i < n; i++) {
        const char *got = sel(&e, w[i].selector, NULL);
        if (strcmp(got, w[i].selection) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", w[i].selector, got, w[i].selection);
    }
    teardown_estate(&e);
}

#define CHECK_ALL(table) check_all((table), sizeof(table) / sizeof((table)[0]))

static void internet_and_addresses(void **state)
{
    (void)state;
    static const want w[] = {
        {"internet", "internet"},
        {"10.0.1.10", "eni:eni-1"},          /* primary private address */
        {"10.0.1.10/32", "eni:eni-1"},       /* a host prefix is the address */
        {"54.1.2.3", "eni:eni-1"},           /* public address */
        {"2001:db8::10", "eni:eni-1"},       /* IPv6 */
        {"10.0.1.20", "task:abc123"},        /* a task's interface is the task */
        {"10.0.2.50", "lb:web-alb"},         /* an LB's interface is the LB */
        {"10.0.1.99", "db:orders-db"},
        {"192.0.2.7", "cidr:192.0.2.7/32"},  /* names no interface: a CIDR */
        {"10.0.0.0/16", "cidr:10.0.0.0/16"}, /* a CIDR never names an interface */
        {"10.0.1.10/24", "cidr:10.0.1.0/24"},
        {"2001:db8::/32", "cidr:2001:db8::/32"},
        {"0.0.0.0/0", "cidr:0.0.0.0/0"},
    };
    CHECK_ALL(w);
}

static void aws_ids(void **state)
{
    (void)state;
    static const want w[] = {
        {"eni-1", "eni:eni-1"},
        {"eni-t1", "task:abc123"},
        {"eni-lb", "lb:web-alb"},
        {"i-1", "eni:eni-1 eni:eni-1b"}, /* its own interfaces, not the task's eni-t1 */
        {"i-2", "eni:eni-2"},            /* not the bridge task running on it */
        {"sg-web", "eni:eni-1 task:abc123"},
        {"sg-alb", "lb:web-alb"},
        {"sg-db", "db:orders-db"},
        {"subnet-a", "eni:eni-1 eni:eni-1b task:abc123"},
        {"subnet-b", "eni:eni-2 lb:web-alb"},
        {"vpc-1", "eni:eni-1 eni:eni-1b eni:eni-2 eni:eni-c task:abc123 lb:web-alb db:orders-db"},
        {"arn:aws:ec2:us-east-1:111122223333:security-group/sg-alb", "lb:web-alb"},
        {"arn:aws:ec2:us-east-1:111122223333:instance/i-2", "eni:eni-2"},
    };
    CHECK_ALL(w);
}

static void ecs_and_elb(void **state)
{
    (void)state;
    static const want w[] = {
        {ARN_ECS "task/prod/abc123", "task:abc123"},
        {"task:abc123", "task:abc123"},
        {"task:" ARN_ECS "task/prod/def456", "task:def456"},
        {"service:api", "task:abc123"}, /* staging/api has no tasks */
        {"service:prod/api", "task:abc123"},
        {"service:" ARN_ECS "cluster/prod/api", "task:abc123"},
        {"service:worker", "task:def456"},
        {ARN_ECS "service/prod/worker", "task:def456"},
        {"service:" ARN_ECS "service/prod/api", "task:abc123"},
        {"lb:web-alb", "lb:web-alb"},
        {ARN_ELB "loadbalancer/app/web-alb/50dc6c495c0c9188", "lb:web-alb"},
        /* ip target → the task; instance target on a bridge host port → that
         * task; an ip target outside the estate → a CIDR */
        {ARN_ELB "targetgroup/api-tg/73e2d6bc24d8a067",
         "cidr:10.9.9.9/32 task:abc123 task:def456"},
        {"db:orders-db", "db:orders-db"},
    };
    CHECK_ALL(w);
}

static void tags_names_terraform(void **state)
{
    (void)state;
    static const want w[] = {
        {"tag:team=web", "eni:eni-1 task:abc123"}, /* a tagged group: its carriers */
        {"tag:team=api", "task:abc123"},           /* a tagged service: its tasks */
        {"tag:env~^pr", "eni:eni-1 eni:eni-1b"},   /* a tagged instance */
        {"tag:team~^(web|api)$", "eni:eni-1 task:abc123"},
        {"name~^web", "eni:eni-1 task:abc123 lb:web-alb"}, /* group web-sg, LB web-alb */
        {"name=bastion", "eni:eni-1 eni:eni-1b"},
        {"name~work", "task:def456"},
        {"name=orders-db", "db:orders-db"},
        {"name~^private", "eni:eni-1 eni:eni-1b task:abc123"},
        {"name=api-tg", "cidr:10.9.9.9/32 task:abc123 task:def456"},
        {"tf:aws_subnet.private", "eni:eni-1 eni:eni-1b eni:eni-c task:abc123"},
        {"tf:aws_subnet.private[0]", "eni:eni-1 eni:eni-1b task:abc123"},
        {"tf:aws_subnet.private_b", "eni:eni-2 lb:web-alb"},
        {"tf:module.net.aws_security_group.db", "db:orders-db"},
        {"tf:module.net", "db:orders-db"},
        {"tf:aws_ecs_service.api", "task:abc123"},
    };
    CHECK_ALL(w);
}

static void nothing_selected_says_why_or_suggests(void **state)
{
    (void)state;
    static const want w[] = {
        {"lb:web-albb", "did you mean: lb:web-alb"},
        {"service:apii", "did you mean: service:api"},
        {"task:abc124", "did you mean: task:abc123"},
        {"sg-wbe", "did you mean: sg-web"},
        {"tag:team=wbe", "did you mean: tag:team=web"},
        {"name=bastoin", "did you mean: i-1 (bastion)"},
        {"tf:aws_subnet.privat", "did you mean: tf:aws_subnet.private"},
        {"tf:module.ne", "did you mean: tf:module.net"},
        {"sg-lonely", "security group sg-lonely (lonely) is attached to nothing in the snapshot"},
        {"service:staging/api", "service api has no tasks in the snapshot (aws ecs describe-tasks)"},
        {ARN_ELB "targetgroup/empty-tg/0000000000000001",
         "target group empty-tg has no registered targets in the snapshot (aws elbv2 "
         "describe-target-health)"},
        {"tf:aws_subnet", "did you mean: tf:aws_subnet.private"},
        {ARN_ECS "task/prod/abc124", "did you mean: " ARN_ECS "task/prod/abc123"},
        {"service:prod/apx", "did you mean: service:api"},
    };
    estate e = build(false);
    estate r = build(true);
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        const char *note = NULL, *note_r = NULL;
        assert_string_equal(sel(&e, w[i].selector, &note), "");
        assert_string_equal(sel(&r, w[i].selector, &note_r), "");
        if (!note || strncmp(note, w[i].selection, strlen(w[i].selection)) != 0)
            fail_msg("%s: got \"%s\", want it to start with \"%s\"", w[i].selector,
                     note ? note : "(null)", w[i].selection);
        assert_string_equal(note, note_r); /* deterministic whatever the dump order */
    }
    /* At most three, closest first. */
    const char *note = NULL;
    sel(&e, "lb:zzzzzzzz", &note);
    assert_non_null(note);
    assert_string_equal(note, "did you mean: lb:web-alb");
    sel(&e, "eni-9", &note);
    assert_non_null(note);
    assert_string_equal(note, "did you mean: eni-1, eni-2, eni-c");
    teardown_estate(&e);
    teardown_estate(&r);
}

static void syntax_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *error;
    } bad[] = {
        {"", "empty selector"},
        {"foo", "not a selector (expected internet, an address or CIDR"},
        {"Internet", "not a selector"},
        {"eni-", "malformed AWS id"},
        {"sg-12/4", "malformed AWS id"},
        {"tag:novalue", "expected tag:KEY=VALUE or tag:KEY~REGEX"},
        {"tag:=x", "expected tag:KEY=VALUE"},
        {"arn:aws:s3:::bucket", "unsupported ARN"},
        {"arn:aws:ecs:us-east-1:1:cluster/prod", "unsupported ARN"},
        {"service:", "nothing after the prefix"},
        {"lb:", "nothing after the prefix"},
        {"service:" ARN_ECS "cluster/prod", "expected service:CLUSTER-ARN/NAME"},
        {"10.0.0.256", "invalid IP address or CIDR"},
        {"10.0.0.0/33", "invalid IP address or CIDR"},
        {"1.2.3", "invalid IP address or CIDR"},
        {"2001:db8::/129", "invalid IP address or CIDR"},
        {"name~", "empty regular expression"},
        {"name~(", "invalid regular expression at offset 1"},
        {"tag:k~[a", "invalid regular expression"},
        {"name~a{2,1}", "invalid regular expression"},
    };
    sgr_arena *a = sgr_arena_new();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *err = NULL;
        sgr_selector *s = sgr_selector_parse(a, bad[i].text, &err);
        if (s)
            fail_msg("'%s' parsed", bad[i].text);
        assert_non_null(err);
        if (!strstr(err, bad[i].error))
            fail_msg("'%s': error \"%s\" lacks \"%s\"", bad[i].text, err, bad[i].error);
    }
    assert_null(sgr_selector_parse(a, NULL, NULL)); /* err is optional */
    sgr_selector_free(NULL);
    sgr_arena_free(a);
}

/* A pathological pattern hits the match limit: an error, not "no match". */
static void regex_limit_is_an_error(void **state)
{
    (void)state;
    estate e = build(false);
    e.eni1->name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
    const char *err = NULL;
    sgr_selector *s = sgr_selector_parse(e.snap->arena, "name~^(a+)+$", &err);
    assert_non_null(s);
    sgr_selection out;
    const char *suggest = NULL;
    assert_int_equal(sgr_selector_resolve(s, e.snap, e.snap->arena, &out, &suggest), 0);
    assert_non_null(out.error);
    assert_non_null(strstr(out.error, "limit"));
    assert_null(suggest);
    assert_int_equal(out.n_enis + out.n_tasks + out.n_lbs, 0);
    sgr_selector_free(s);
    /* UTF-8 patterns and subjects; $ does not match before a final newline. */
    e.eni1->name = "caf\xc3\xa9";
    assert_string_equal(sel(&e, "name~^caf.$", NULL), "eni:eni-1");
    e.eni1->name = "web\n";
    assert_string_equal(sel(&e, "name~^web$", NULL), "");
    teardown_estate(&e);
}

static void deterministic_whatever_the_dump_order(void **state)
{
    (void)state;
    static const char *const selectors[] = {
        "vpc-1", "sg-web", "subnet-a", "i-1", "name~.", "tag:team~.", "tf:aws_subnet.private",
        ARN_ELB "targetgroup/api-tg/73e2d6bc24d8a067",
    };
    estate e = build(false);
    estate r = build(true);
    for (size_t i = 0; i < sizeof selectors / sizeof selectors[0]; i++) {
        const char *x = sel(&e, selectors[i], NULL);
        const char *y = sel(&r, selectors[i], NULL);
        assert_string_equal(x, y);
        assert_string_not_equal(x, "");
    }
    /* No duplicates although eni-1 matches name~. by its group and its instance. */
    assert_string_equal(sel(&e, "name~.", NULL),
                        "cidr:10.9.9.9/32 eni:eni-1 eni:eni-1b eni:eni-2 eni:eni-c task:abc123 "
                        "task:def456 lb:web-alb db:orders-db");
    teardown_estate(&e);
    teardown_estate(&r);
}

/* Names for what is not ECS (issue 15 §1.10) and aws:SERVICE (§1.4): a Lambda
 * function is its Hyperplane interfaces (its subnets and exactly its groups,
 * or described for it: a name that is a prefix of another's is not it), a
 * cache cluster the interfaces ElastiCache describes for it, an AWS service
 * every way to it (endpoint interfaces; its list's entries, else the internet). */
static void services_by_name(void **state)
{
    (void)state;
    estate e = build(false);
    sgr_arena *a = e.snap->arena;
    sgr_eni *hp = eni(&e, "eni-fn", "subnet-z", "10.0.9.40", "sg-fn", NULL);
    hp->interface_type = "lambda";
    hp->description = "AWS Lambda VPC ENI-orders-fn-8c7ac78b-e11d-4dea-8a47-ab2bdeba9bf5";
    sgr_eni *hp2 = eni(&e, "eni-fn2", "subnet-z", "10.0.9.41", "sg-fn", "sg-extra"); /* other groups */
    hp2->interface_type = "lambda";
    sgr_eni *old = eni(&e, "eni-fn3", "subnet-y", "10.0.9.42", "sg-old", NULL);
    old->description = "AWS Lambda VPC ENI-orders-fn-8c7ac78b-e11d-4dea-8a47-ab2bdeba9bf6";
    sgr_function *f = SGR_NEW(a, sgr_function);
    f->name = "orders-fn";
    f->arn = "arn:aws:lambda:us-east-1:111122223333:function:orders-fn";
    f->subnet_ids = strs(a, "subnet-z", NULL);
    f->group_ids = strs(a, "sg-fn", NULL);
    ADD(e.snap, functions, f);
    sgr_function *nv = SGR_NEW(a, sgr_function);
    nv->name = "no-vpc";
    ADD(e.snap, functions, nv);
    eni(&e, "eni-c1", "subnet-z", "10.0.9.70", "sg-cache", NULL)->description = "ElastiCache orders-cache-001";
    eni(&e, "eni-c2", "subnet-z", "10.0.9.71", "sg-cache", NULL)->description = "ElastiCache orders-cache-002";
    eni(&e, "eni-c3", "subnet-z", "10.0.9.72", "sg-cache", NULL)->description = "ElastiCache lone-001";
    const char *ids[2] = {"orders-cache-001", "orders-cache-002"};
    for (int i = 0; i < 2; i++) {
        sgr_cache *c = SGR_NEW(a, sgr_cache);
        c->id = ids[i];
        c->replication_group_id = "orders-cache";
        ADD(e.snap, caches, c);
    }
    sgr_eni *ve = eni(&e, "eni-vpce", "subnet-z", "10.0.9.50", "sg-vpce", NULL);
    sgr_vpc_endpoint *v = SGR_NEW(a, sgr_vpc_endpoint);
    v->id = "vpce-sqs";
    v->type = "Interface";
    v->service_name = "com.amazonaws.us-east-1.sqs";
    v->eni_ids = strs(a, ve->id, NULL);
    ADD(e.snap, vpc_endpoints, v);
    sgr_prefix_list *pl = SGR_NEW(a, sgr_prefix_list);
    pl->id = "pl-s3";
    pl->name = "com.amazonaws.us-east-1.s3";
    pl->entries = SGR_NEW(a, sgr_prefix);
    assert_true(sgr_parse_prefix("52.218.0.0/17", &pl->entries[0]));
    pl->n_entries = 1;
    pl->entries_known = true;
    ADD(e.snap, prefix_lists, pl);
    static const want w[] = {
        {"lambda:orders-fn", "eni:eni-fn eni:eni-fn3"},  /* its subnet and groups; described for it */
        {"lambda:arn:aws:lambda:us-east-1:111122223333:function:orders-fn", "eni:eni-fn eni:eni-fn3"},
        {"lambda:orders", ""},                           /* "ENI-orders-fn-UUID" is not orders' */
        {"elasticache:orders-cache", "eni:eni-c1 eni:eni-c2"},
        {"elasticache:orders-cache-002", "eni:eni-c2"},
        {"elasticache:lone-001", "eni:eni-c3"},          /* described, the cluster not in the snapshot */
        {"aws:sqs", "internet eni:eni-vpce"},
        {"aws:s3", "cidr:52.218.0.0/17"},
        {"aws:ecr.api", "internet"},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        const char *note = NULL;
        const char *got = sel(&e, w[i].selector, &note);
        if (strcmp(got, w[i].selection) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", w[i].selector, got, w[i].selection);
    }
    const char *note = NULL;
    assert_string_equal(sel(&e, "lambda:no-vpc", &note), "");
    assert_non_null(strstr(note, "not attached to a VPC"));
    teardown_estate(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(internet_and_addresses),
        cmocka_unit_test(aws_ids),
        cmocka_unit_test(ecs_and_elb),
        cmocka_unit_test(tags_names_terraform),
        cmocka_unit_test(nothing_selected_says_why_or_suggests),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(regex_limit_is_an_error),
        cmocka_unit_test(deterministic_whatever_the_dump_order),
        cmocka_unit_test(services_by_name),
    };
    return cmocka_run_group_tests_name("selector", tests, NULL, NULL);
}
