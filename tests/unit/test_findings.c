/* Findings over hand-built models: each check fires on its pitfall and stays
 * quiet on the safe variant; order is severity then id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "queries/findings.h"
#include "graph/arena.h"

#define PUSH(snap, field, obj)                                                                         \
    do {                                                                                               \
        (snap)->field = sgr_arena_grow((snap)->arena, (snap)->field, &(snap)->cap_##field,             \
                                       (snap)->n_##field + 1, sizeof *(snap)->field);                  \
        (snap)->field[(snap)->n_##field++] = (obj);                                                    \
    } while (0)

static sgr_snapshot *snap_new(void)
{
    sgr_arena *a = sgr_arena_new();
    sgr_snapshot *s = SGR_NEW(a, sgr_snapshot);
    s->arena = a;
    return s;
}

static sgr_origin at(sgr_snapshot *s, uint32_t line)
{
    return (sgr_origin){.file = "dump.json", .path = sgr_arena_printf(s->arena, "$.x[%u]", line), .line = line};
}

static sgr_prefix v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t len)
{
    sgr_prefix p = {.len = len};
    p.ip.family = SGR_AF_INET;
    p.ip.b[0] = a, p.ip.b[1] = b, p.ip.b[2] = c, p.ip.b[3] = d;
    return p;
}

static sgr_sg *sg(sgr_snapshot *s, const char *id, const char *name)
{
    sgr_sg *g = SGR_NEW(s->arena, sgr_sg);
    g->id = id;
    g->name = name;
    g->described = true;
    g->rules = SGR_NEW_N(s->arena, sgr_sg_rule, 16);
    g->origin = at(s, 1);
    PUSH(s, sgs, g);
    return g;
}

static sgr_sg_rule *rule(sgr_snapshot *s, sgr_sg *g, bool egress, int32_t proto, int32_t lo, int32_t hi, uint32_t line)
{
    sgr_sg_rule *r = &g->rules[g->n_rules++];
    r->egress = egress;
    r->protocol = proto;
    r->from_port = lo;
    r->to_port = hi;
    r->origin = at(s, line);
    return r;
}

static void cidr(sgr_sg_rule *r, sgr_prefix p)
{
    r->peer_kind = SGR_PEER_CIDR;
    r->cidr = p;
}

static sgr_strs strs1(sgr_snapshot *s, const char *x)
{
    sgr_strs v = {.items = SGR_NEW_N(s->arena, const char *, 1), .count = 1};
    v.items[0] = x;
    return v;
}

static sgr_eni *eni(sgr_snapshot *s, const char *id, sgr_sg *g)
{
    sgr_eni *e = SGR_NEW(s->arena, sgr_eni);
    e->id = id;
    e->group_ids = strs1(s, g->id);
    e->groups = SGR_NEW_N(s->arena, sgr_sg *, 1);
    e->groups[0] = g;
    PUSH(s, enis, e);
    return e;
}

static sgr_instance *instance(sgr_snapshot *s, const char *id, const char *type, sgr_eni *e)
{
    sgr_instance *in = SGR_NEW(s->arena, sgr_instance);
    in->id = id;
    in->instance_type = type;
    in->primary_eni = e;
    in->group_ids = e->group_ids;
    in->origin = at(s, 50);
    PUSH(s, instances, in);
    return in;
}

static sgr_task *task(sgr_snapshot *s, const char *arn, sgr_task_def *td, sgr_instance *in)
{
    sgr_task *t = SGR_NEW(s->arena, sgr_task);
    t->arn = arn;
    t->task_def = td;
    t->instance = in;
    t->origin = at(s, 70);
    PUSH(s, tasks, t);
    return t;
}

static void bind(sgr_snapshot *s, sgr_task *t, int32_t cport, int32_t hport)
{
    t->containers = SGR_NEW(s->arena, sgr_task_container);
    t->n_containers = 1;
    t->containers[0].name = "app";
    t->containers[0].bindings = SGR_NEW(s->arena, sgr_network_binding);
    t->containers[0].n_bindings = 1;
    t->containers[0].bindings[0] = (sgr_network_binding){.container_port = cport, .container_port_end = cport,
                                                         .host_port = hport, .host_port_end = hport,
                                                         .protocol = SGR_PROTO_TCP};
}

static sgr_task_def *taskdef(sgr_snapshot *s, const char *arn, sgr_net_mode m)
{
    sgr_task_def *td = SGR_NEW(s->arena, sgr_task_def);
    td->arn = arn;
    td->network_mode = m;
    td->origin = at(s, 90);
    PUSH(s, task_defs, td);
    return td;
}

static void run(sgr_snapshot *s, sgr_findings *f)
{
    sgr_findings_run(s, s->arena, f);
}

static uint32_t count_check(const sgr_findings *f, const char *check)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < f->count; i++)
        n += strcmp(f->items[i].check, check) == 0;
    return n;
}

static const sgr_finding *find(const sgr_findings *f, const char *check)
{
    for (uint32_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].check, check) == 0)
            return &f->items[i];
    return NULL;
}

static bool has_res(const sgr_finding *f, const char *r)
{
    for (uint32_t i = 0; i < f->n_resources; i++)
        if (strcmp(f->resources[i], r) == 0)
            return true;
    return false;
}

static void admin_port_open_to_world(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *g = sg(s, "sg-ssh", "bastion");
    cidr(rule(s, g, false, SGR_PROTO_TCP, 22, 22, 12), v4(0, 0, 0, 0, 0));
    cidr(rule(s, g, false, SGR_PROTO_TCP, 443, 443, 13), v4(0, 0, 0, 0, 0));
    cidr(rule(s, g, false, SGR_PROTO_TCP, 5432, 5432, 14), v4(10, 0, 0, 0, 8));
    sgr_eni *e = eni(s, "eni-1", g);
    sgr_findings f;
    run(s, &f);
    assert_int_equal(count_check(&f, "open-admin-port"), 1);
    const sgr_finding *x = find(&f, "open-admin-port");
    assert_int_equal(x->severity, SGR_FSEV_HIGH);
    assert_string_equal(x->id, "open-admin-port:sg-ssh:ingress#0");
    assert_non_null(strstr(x->title, "tcp/22 (SSH)"));
    assert_int_equal(x->n_rules, 1);
    assert_int_equal(x->rules[0].origin.line, 12);
    assert_string_equal(x->rules[0].text, "ingress tcp/22 from 0.0.0.0/0");
    /* A public address on a carrying interface makes it critical. */
    e->public_ips = SGR_NEW(s->arena, sgr_public_ip);
    e->n_public_ips = 1;
    run(s, &f);
    assert_int_equal(find(&f, "open-admin-port")->severity, SGR_FSEV_CRITICAL);
    sgr_arena_free(s->arena);
}

static void shadowed_and_duplicate_rules(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *g = sg(s, "sg-web", "web");
    cidr(rule(s, g, false, SGR_PROTO_TCP, 80, 80, 10), v4(10, 1, 0, 0, 16));
    cidr(rule(s, g, false, SGR_PROTO_TCP, 0, 65535, 11), v4(10, 0, 0, 0, 8));
    cidr(rule(s, g, false, SGR_PROTO_UDP, 53, 53, 12), v4(10, 1, 0, 0, 16)); /* other protocol: not covered */
    cidr(rule(s, g, true, SGR_PROTO_ALL, -1, -1, 13), v4(0, 0, 0, 0, 0));
    cidr(rule(s, g, true, SGR_PROTO_ALL, -1, -1, 14), v4(0, 0, 0, 0, 0)); /* duplicate */
    eni(s, "eni-1", g);
    sgr_findings f;
    run(s, &f);
    assert_int_equal(count_check(&f, "shadowed-rule"), 2);
    assert_string_equal(f.items[0].id, "shadowed-rule:sg-web:egress#4");
    assert_string_equal(f.items[1].id, "shadowed-rule:sg-web:ingress#0");
    assert_int_equal(f.items[1].rules[0].origin.line, 10);
    assert_int_equal(f.items[1].rules[1].origin.line, 11);
    sgr_arena_free(s->arena);
}

static void unknown_and_unattached_groups(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *used = sg(s, "sg-used", "used");
    sgr_sg *svc = sg(s, "sg-svc", "svc");
    sgr_sg *lbg = sg(s, "sg-lb", "lb");
    sgr_sg *orphan = sg(s, "sg-orphan", "orphan");
    sg(s, "sg-default", "default");
    (void)orphan;
    (void)lbg;
    sgr_sg_rule *r = rule(s, used, false, SGR_PROTO_TCP, 5432, 5432, 20);
    r->peer_kind = SGR_PEER_GROUP;
    r->group_id = "sg-elsewhere";
    r->group_owner = "999999999999";
    used->owner = "111111111111";
    r = rule(s, svc, false, SGR_PROTO_TCP, 80, 80, 21);
    r->peer_kind = SGR_PEER_GROUP;
    r->group_id = "sg-orphan";
    eni(s, "eni-1", used);
    sgr_service *sv = SGR_NEW(s->arena, sgr_service);
    sv->name = "api";
    sv->group_ids = strs1(s, "sg-svc");
    PUSH(s, services, sv);
    sgr_lb *lb = SGR_NEW(s->arena, sgr_lb);
    lb->name = "alb";
    lb->group_ids = strs1(s, "sg-lb");
    PUSH(s, lbs, lb);
    sgr_findings f;
    run(s, &f);
    assert_int_equal(count_check(&f, "unknown-group"), 1);
    const sgr_finding *u = find(&f, "unknown-group");
    assert_string_equal(u->id, "unknown-group:sg-elsewhere");
    assert_non_null(strstr(u->title, "999999999999"));
    assert_int_equal(u->rules[0].origin.line, 20);
    /* Service and load balancer attachments count; the default group is exempt. */
    assert_int_equal(count_check(&f, "unattached-group"), 1);
    const sgr_finding *o = find(&f, "unattached-group");
    assert_string_equal(o->id, "unattached-group:sg-orphan");
    assert_non_null(strstr(o->title, "1 rule(s) of other groups reference it"));
    sgr_arena_free(s->arena);
}

static void transparent_nlb_and_bridge_hosts(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *host = sg(s, "sg-host", "ecs-hosts");
    cidr(rule(s, host, false, SGR_PROTO_TCP, 32768, 65535, 30), v4(0, 0, 0, 0, 0));
    sgr_eni *e = eni(s, "eni-host", host);
    sgr_instance *in = instance(s, "i-1", "c5.large", e);
    sgr_task_def *td = taskdef(s, "arn:td/web:1", SGR_NET_BRIDGE);
    sgr_task *web = task(s, "arn:task/web", td, in);
    bind(s, web, 80, 32769);
    sgr_task *admin = task(s, "arn:task/admin", td, in);
    bind(s, admin, 8080, 33000);
    sgr_lb *nlb = SGR_NEW(s->arena, sgr_lb);
    nlb->name = "edge";
    nlb->arn = "arn:lb/net/edge";
    nlb->type = SGR_LB_NETWORK;
    nlb->internet_facing = true;
    PUSH(s, lbs, nlb);
    sgr_target_group *tg = SGR_NEW(s->arena, sgr_target_group);
    tg->arn = "arn:tg/web";
    tg->name = "web";
    tg->protocol = SGR_PROTO_TCP;
    tg->protocol_name = "TCP";
    tg->target_type = "instance";
    tg->preserve_client_ip = -1;
    tg->lbs = SGR_NEW(s->arena, sgr_lb *);
    tg->lbs[0] = nlb;
    tg->n_lbs = 1;
    tg->targets = SGR_NEW(s->arena, sgr_target);
    tg->n_targets = 1;
    tg->targets[0] = (sgr_target){.id = "i-1", .port = 32769, .instance = in};
    PUSH(s, target_groups, tg);
    sgr_findings f;
    run(s, &f);
    const sgr_finding *o = find(&f, "nlb-open-target");
    assert_non_null(o);
    assert_true(has_res(o, "i-1"));
    const sgr_finding *h = find(&f, "nlb-bridge-host-exposure");
    assert_non_null(h);
    assert_int_equal(count_check(&f, "nlb-bridge-host-exposure"), 1);
    assert_true(has_res(h, "arn:task/admin"));
    assert_false(has_res(h, "arn:task/web")); /* the registered target is meant to be reached */
    assert_int_equal(h->rules[0].origin.line, 30);
    const sgr_finding *d = find(&f, "bridge-dynamic-range");
    assert_non_null(d);
    assert_int_equal(d->severity, SGR_FSEV_HIGH);
    /* An NLB with a security group is not transparent: no NLB findings. */
    nlb->group_ids = strs1(s, "sg-nlb");
    run(s, &f);
    assert_null(find(&f, "nlb-open-target"));
    assert_null(find(&f, "nlb-bridge-host-exposure"));
    sgr_arena_free(s->arena);
}

static void dynamic_range_from_lb_group_is_fine(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *host = sg(s, "sg-host", "ecs-hosts");
    sgr_sg_rule *r = rule(s, host, false, SGR_PROTO_TCP, 32768, 65535, 30);
    r->peer_kind = SGR_PEER_GROUP;
    r->group_id = "sg-alb";
    sgr_sg *peer = sg(s, "sg-hosts-all", "hosts");
    sgr_sg_rule *r2 = rule(s, peer, false, SGR_PROTO_TCP, 49153, 65535, 31);
    r2->peer_kind = SGR_PEER_GROUP;
    r2->group_id = "sg-hosts-all";
    sg(s, "sg-alb", "alb");
    sgr_lb *alb = SGR_NEW(s->arena, sgr_lb);
    alb->name = "alb";
    alb->group_ids = strs1(s, "sg-alb");
    PUSH(s, lbs, alb);
    sgr_instance *in = instance(s, "i-1", "c5.large", eni(s, "eni-1", host));
    sgr_instance *in2 = instance(s, "i-2", "c5.large", eni(s, "eni-2", peer));
    sgr_task_def *td = taskdef(s, "arn:td/web:1", SGR_NET_BRIDGE);
    task(s, "arn:task/1", td, in);
    task(s, "arn:task/2", td, in2);
    sgr_findings f;
    run(s, &f);
    assert_int_equal(count_check(&f, "bridge-dynamic-range"), 1);
    assert_string_equal(find(&f, "bridge-dynamic-range")->id, "bridge-dynamic-range:sg-hosts-all:ingress#0");
    assert_int_equal(find(&f, "bridge-dynamic-range")->severity, SGR_FSEV_MEDIUM);
    sgr_arena_free(s->arena);
}

static void host_mode_conflict_and_loopback(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *g = sg(s, "sg-h", "h");
    sgr_instance *in = instance(s, "i-1", "m5.large", eni(s, "eni-1", g));
    sgr_task_def *td = taskdef(s, "arn:td/agent:3", SGR_NET_HOST);
    td->containers = SGR_NEW(s->arena, sgr_container_def);
    td->n_containers = 1;
    td->containers[0].ports = SGR_NEW(s->arena, sgr_port_mapping);
    td->containers[0].n_ports = 1;
    td->containers[0].ports[0] = (sgr_port_mapping){.container_port = 9100, .container_port_end = 9100,
                                                   .host_port = -1, .protocol = SGR_PROTO_TCP};
    task(s, "arn:task/a", td, in);
    task(s, "arn:task/b", td, in);
    sgr_findings f;
    run(s, &f);
    const sgr_finding *c = find(&f, "host-port-conflict");
    assert_non_null(c);
    assert_string_equal(c->id, "host-port-conflict:i-1:tcp/9100");
    assert_true(has_res(c, "arn:task/a") && has_res(c, "arn:task/b"));
    assert_int_equal(count_check(&f, "host-mode-loopback"), 1);
    assert_int_equal(find(&f, "host-mode-loopback")->rules[0].origin.line, 90);
    sgr_arena_free(s->arena);
}

static void public_ip_density_and_subnets(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *g = sg(s, "sg-api", "api");
    cidr(rule(s, g, false, SGR_PROTO_TCP, 8080, 8080, 40), v4(0, 0, 0, 0, 0));
    sgr_subnet *full = SGR_NEW(s->arena, sgr_subnet);
    full->id = "subnet-full";
    full->cidr4 = v4(172, 31, 16, 0, 20);
    full->available_ips = 100;
    PUSH(s, subnets, full);
    sgr_subnet *roomy = SGR_NEW(s->arena, sgr_subnet);
    roomy->id = "subnet-roomy";
    roomy->cidr4 = v4(172, 31, 32, 0, 20);
    roomy->available_ips = 4091;
    PUSH(s, subnets, roomy);
    sgr_task_def *td = taskdef(s, "arn:td/api:1", SGR_NET_AWSVPC);
    sgr_service *sv = SGR_NEW(s->arena, sgr_service);
    sv->name = "api";
    sv->arn = "arn:svc/api";
    sv->assign_public_ip = true;
    sv->group_ids = strs1(s, "sg-api");
    sv->subnet_ids = strs1(s, "subnet-full");
    sv->task_def = td;
    PUSH(s, services, sv);
    sgr_sg *hg = sg(s, "sg-host", "host");
    sgr_instance *in = instance(s, "i-small", "c5.large", eni(s, "eni-h", hg));
    for (int i = 0; i < 3; i++)
        task(s, sgr_arena_printf(s->arena, "arn:task/api-%d", i), td, in);
    sgr_findings f;
    run(s, &f);
    const sgr_finding *p = find(&f, "public-ip-service");
    assert_non_null(p);
    assert_int_equal(p->severity, SGR_FSEV_HIGH);
    const sgr_finding *d = find(&f, "eni-density");
    assert_non_null(d);
    assert_non_null(strstr(d->title, "can host 2 awsvpc tasks but 3"));
    assert_int_equal(count_check(&f, "subnet-exhaustion"), 1);
    const sgr_finding *x = find(&f, "subnet-exhaustion");
    assert_string_equal(x->id, "subnet-exhaustion:subnet-full");
    assert_int_equal(x->severity, SGR_FSEV_MEDIUM);
    assert_non_null(strstr(x->title, "100 of 4091 usable"));
    /* With trunking, a c5.large hosts 10 awsvpc tasks. */
    sgr_container_instance *ci = SGR_NEW(s->arena, sgr_container_instance);
    ci->trunk_eni_id = "eni-trunk";
    ci->instance = in;
    in->container_instance = ci;
    run(s, &f);
    assert_null(find(&f, "eni-density"));
    sgr_arena_free(s->arena);
}

static void sorted_and_deterministic(void **state)
{
    (void)state;
    sgr_snapshot *s = snap_new();
    sgr_sg *b = sg(s, "sg-b", "b");
    sgr_sg *a = sg(s, "sg-a", "a");
    cidr(rule(s, b, false, SGR_PROTO_TCP, 3389, 3389, 1), v4(0, 0, 0, 0, 0));
    cidr(rule(s, a, false, SGR_PROTO_ALL, -1, -1, 2), v4(0, 0, 0, 0, 0));
    cidr(rule(s, a, false, SGR_PROTO_TCP, 80, 80, 3), v4(0, 0, 0, 0, 0));
    eni(s, "eni-1", a);
    eni(s, "eni-2", b);
    sgr_findings f1, f2;
    run(s, &f1);
    run(s, &f2);
    assert_int_equal(f1.count, f2.count);
    for (uint32_t i = 0; i < f1.count; i++) {
        assert_string_equal(f1.items[i].id, f2.items[i].id);
        assert_string_equal(f1.items[i].title, f2.items[i].title);
        if (i)
            assert_true(f1.items[i - 1].severity < f1.items[i].severity ||
                        (f1.items[i - 1].severity == f1.items[i].severity &&
                         strcmp(f1.items[i - 1].id, f1.items[i].id) < 0));
    }
    assert_string_equal(f1.items[0].id, "open-admin-port:sg-a:ingress#0");
    assert_string_equal(f1.items[1].id, "open-admin-port:sg-b:ingress#0");
    uint32_t counts[5];
    sgr_findings_count(&f1, counts);
    assert_int_equal(counts[SGR_FSEV_HIGH], 2);
    assert_int_equal(counts[SGR_FSEV_LOW], 1); /* the tcp/80 rule is shadowed by the all-traffic rule */
    sgr_arena_free(s->arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(admin_port_open_to_world),
        cmocka_unit_test(shadowed_and_duplicate_rules),
        cmocka_unit_test(unknown_and_unattached_groups),
        cmocka_unit_test(transparent_nlb_and_bridge_hosts),
        cmocka_unit_test(dynamic_range_from_lb_group_is_fine),
        cmocka_unit_test(host_mode_conflict_and_loopback),
        cmocka_unit_test(public_ip_density_and_subnets),
        cmocka_unit_test(sorted_and_deterministic),
    };
    return cmocka_run_group_tests_name("findings", tests, NULL, NULL);
}
