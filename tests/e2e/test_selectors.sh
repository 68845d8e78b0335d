#!/usr/bin/env bash
# Selectors end to end (docs/selectors.md): `sgreach can` on the fixture
# estates with each form, checking the exit code, the number of pairs the
# selectors expand to, and for errors the message on stderr (exit 2).
set -u
fail=0
n=0
ALB_ARN=arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ecom-public-alb
TG_PAY=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ecom-payment-service/15b1f1802779adc9
# estate | from | to | tcp port | exit | pairs (or -) | stderr must contain (or -)
while IFS='|' read -r estate from to port want pairs msg; do
    case "$estate" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    "$SGREACH" can -q --from "$from" --to "$to" --proto tcp --port "$port" --format json \
        "$SRC/fixtures/$estate" >"$BUILD/sel_e2e.json" 2>"$BUILD/sel_e2e.err"
    rc=$?
    got=-
    if [ "$pairs" != - ]; then
        got=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["pairs"]))' \
            "$BUILD/sel_e2e.json" 2>/dev/null)
    fi
    bad=
    [ "$rc" != "$want" ] && bad="exit $rc, want $want"
    [ "$pairs" != - ] && [ "$got" != "$pairs" ] && bad="$bad; $got pairs, want $pairs"
    if [ "$msg" != - ] && ! grep -qF -- "$msg" "$BUILD/sel_e2e.err"; then
        bad="$bad; stderr lacks: $msg"
    fi
    if [ -n "$bad" ]; then
        echo "FAIL $estate: --from '$from' --to '$to' --port $port: $bad"
        sed 's/^/    /' "$BUILD/sel_e2e.err"
        fail=$((fail + 1))
    fi
done <<TABLE
# the same load balancer named five ways: reachable on 443 from the internet
ecommerce-awsvpc|internet|lb:ecom-public-alb|443|0|1|-
ecommerce-awsvpc|internet|54.160.23.17|443|0|1|-
ecommerce-awsvpc|internet|2600:1f18:4a3:6e01:8c2:5a1e:3b7d:91f4|443|0|1|-
ecommerce-awsvpc|internet|name~^ecom-public-alb\$|443|0|1|-
ecommerce-awsvpc|internet|eni-060699bc1ec2eba40|443|0|1|-
ecommerce-awsvpc|internet|$ALB_ARN/8ea17413dd4c9a2b|443|0|1|-
# port 80 is open only to the office prefix list
ecommerce-awsvpc|8.8.8.8|lb:ecom-public-alb|80|1|1|-
ecommerce-awsvpc|198.51.100.25|lb:ecom-public-alb|80|0|1|-
ecommerce-awsvpc|198.51.100.0/24|lb:ecom-public-alb|80|0|1|-
# A CIDR stands for every address in it: one that holds subnets asks from an unknown host of each
# (groups unknown) and from its part outside the VPC; the VPC's own addresses that no subnet
# holds have no host. Whole, by its first address, 10.0.0.0/16 answered unreachable (exit 1).
ecommerce-awsvpc|10.0.0.0/16|service:user-service|3000|3|21|-
ecommerce-awsvpc|10.0.1.0/24|service:user-service|3000|3|3|-
ecommerce-awsvpc|10.0.0.0/24|service:user-service|3000|1|3|-
ecommerce-awsvpc|10.0.0.0/8|service:user-service|3000|3|45|-
# a group's name selects its carriers (the two payment tasks); so does the target group
ecommerce-awsvpc|name=ecom-payment-service|10.0.22.61|5432|0|2|-
ecommerce-awsvpc|$TG_PAY|10.0.22.61|5432|0|2|-
ecommerce-awsvpc|name=ecom-payment-service|name=ecom-user-rds|5432|1|2|-
ecommerce-awsvpc|service:ecommerce-prod/payment-service|name~payment-rds|5432|0|2|-
ecommerce-awsvpc|internet|service:user-service|3000|0|3|-
# errors: exit 2, what is wrong, and the closest names
ecommerce-awsvpc|internet|lb:ecom-public-alb2|443|2|-|selector 'lb:ecom-public-alb2' matches nothing; did you mean: lb:ecom-public-alb
ecommerce-awsvpc|service:user-servce|internet|443|2|-|did you mean: service:user-service
ecommerce-awsvpc|internet|name~(|443|2|-|selector 'name~(': invalid regular expression at offset 1
ecommerce-awsvpc|internet|10.0.0.256|443|2|-|selector '10.0.0.256': invalid IP address or CIDR
ecommerce-awsvpc|internet|foo|443|2|-|selector 'foo': not a selector
ecommerce-awsvpc|internet|$ALB_ARN|443|2|-|did you mean: $ALB_ARN/8ea17413dd4c9a2b
ecommerce-awsvpc|internet|arn:aws:s3:::bucket|443|2|-|unsupported ARN
# endpoint:SERVICE names an interface endpoint's interfaces (two here) by its ServiceName or its end
ecommerce-awsvpc|endpoint:ecr.dkr|lb:ecom-public-alb|443|0|2|-
ecommerce-awsvpc|10.0.2.140|endpoint:com.amazonaws.us-east-1.ecr.dkr|443|0|2|-
ecommerce-awsvpc|10.0.2.140|endpoint:vpce-0b7beac8de61ab596|443|0|2|-
ecommerce-awsvpc|internet|endpoint:s3|443|2|-|selector 'endpoint:s3' matches nothing
# lambda:NAME / elasticache:ID name the interfaces of a function and a cache (issue 15 §1.10); aws:SERVICE every way to a service
../tests/scenarios/aws-interface-endpoints|lambda:orders-fn|10.96.2.70|6379|0|1|-
../tests/scenarios/aws-interface-endpoints|lambda:report-fn|elasticache:orders-cache|6379|0|2|-
../tests/scenarios/aws-interface-endpoints|lambda:arn:aws:lambda:us-east-1:111122223333:function:orders-fn|elasticache:orders-cache-002|6379|0|1|-
../tests/scenarios/aws-interface-endpoints|10.96.2.20|elasticache:orders-cache-001|6379|1|1|-
../tests/scenarios/aws-interface-endpoints|lambda:orders|10.96.2.70|6379|2|-|did you mean: lambda:orders-fn
../tests/scenarios/aws-interface-endpoints|10.96.2.40|elasticache:orders|6379|2|-|did you mean: elasticache:orders-cache
../tests/scenarios/aws-interface-endpoints|10.96.2.10|aws:sqs|443|0|3|-
../tests/scenarios/aws-interface-endpoints|10.96.2.10|endpoint:sqs|443|0|2|-
../tests/scenarios/aws-interface-endpoints|10.96.1.40|aws:ecr.api|443|3|1|-
../tests/corpus/peer-tools/cloudmapper-demo/account-data/demo|lambda:invpclambda|internet|443|2|-|Lambda function invpclambda: none of its interfaces
# rds:ID is db:ID (describe-db-instances)
../tests/corpus/peer-tools/cloudmapper-demo/account-data/demo|internet|rds:database|5432|1|1|-
# bridge mode: the NLB's target group on a host port selects the task behind it
bridge-nlb|internet|service:orders-api|8080|0|2|-
bridge-nlb|internet|lb:orders-nlb|80|0|1|-
TABLE
echo "$((n - fail)) of $n selector cases right"
[ "$fail" = 0 ]
