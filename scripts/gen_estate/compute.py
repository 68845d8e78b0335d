"""EC2 instances and ECS objects (task definitions, tasks, services,
container instances) in the shapes describe-instances and ecs describe-*
print them."""

from .core import PublicPool, private_dns, tags
from .enis import Eni

TYPES = ("t3.medium", "m5.large", "m5.xlarge", "c5.large", "c6i.xlarge", "r5.large", "m6g.large")


def instance(gen, vpc, subnet, groups, name, public=None, role="app", extra=(), itype=None,
             cluster=None, source_dest_check=True):
    """Launches one instance with its primary interface (and `extra`: a list of
    (subnet, groups, interface type) for more interfaces); writes its
    reservation and returns (instance id, primary Eni, extra Enis)."""
    rng = gen.rng
    iid = gen.ids.make("i-")
    running = rng.random() > 0.03
    primary = Eni(gen, vpc, subnet, groups, "Primary network interface",
                  attach={"instance": iid, "device": 0},
                  public=public if running else None, source_dest_check=source_dest_check)
    others = []
    for k, (s, gs, kind) in enumerate(extra):
        others.append(Eni(gen, vpc, s, gs, "" if kind == "interface" else "ENI trunk", kind,
                          attach={"instance": iid, "device": k + 1}))
    tagset = tags(Name=name, Role=role)
    if cluster:
        tagset += tags(**{"aws:autoscaling:groupName": "%s-asg" % cluster})
    inst = {"AmiLaunchIndex": 0, "ImageId": "ami-%s" % gen.ids.hexs(17),
            "InstanceId": iid, "InstanceType": itype or rng.choice(TYPES),
            "KeyName": "ops-%s" % vpc.name.split("-")[0], "LaunchTime": gen.timestamp(),
            "Monitoring": {"State": "disabled"},
            "Placement": {"AvailabilityZone": subnet.az, "GroupName": "", "Tenancy": "default"},
            "PrivateDnsName": private_dns(primary.ip, vpc.region),
            "PrivateIpAddress": primary.ip, "ProductCodes": [],
            "PublicDnsName": PublicPool.dns(primary.public_ip, vpc.region) if primary.public_ip else ""}
    if primary.public_ip:
        inst["PublicIpAddress"] = primary.public_ip
    inst.update({
        "State": {"Code": 16, "Name": "running"} if running else {"Code": 80, "Name": "stopped"},
        "StateTransitionReason": "" if running else "User initiated (2025-01-09 10:12:01 GMT)",
        "SubnetId": subnet.id, "VpcId": vpc.id, "Architecture": "x86_64",
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
            "AttachTime": gen.timestamp(), "DeleteOnTermination": True, "Status": "attached",
            "VolumeId": gen.ids.make("vol-")}}],
        "ClientToken": gen.ids.uuid(), "EbsOptimized": True, "EnaSupport": True, "Hypervisor": "xen",
        "IamInstanceProfile": {"Arn": "arn:aws:iam::%s:instance-profile/%s-%s" % (vpc.account, vpc.name, role),
                               "Id": "AIPA%s" % gen.ids.hexs(17).upper()},
        "NetworkInterfaces": [primary.instance_copy()] + [e.instance_copy() for e in others],
        "RootDeviceName": "/dev/xvda", "RootDeviceType": "ebs",
        "SecurityGroups": [{"GroupName": g.name, "GroupId": g.id} for g in groups],
        "SourceDestCheck": source_dest_check, "Tags": tagset, "VirtualizationType": "hvm",
        "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 2},
        "MetadataOptions": {"State": "applied", "HttpTokens": rng.choice(["required", "optional"]),
                            "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
        "PlatformDetails": "Linux/UNIX"})
    gen.out.item(vpc.account, vpc.region, "ec2-describe-instances", "Reservations", {
        "Groups": [], "Instances": [inst], "OwnerId": vpc.account,
        "ReservationId": gen.ids.make("r-")})
    return iid, primary, others, running


class TaskDef:
    def __init__(self, gen, vpc, family, mode, containers, fargate):
        """containers: [(name, [(container port, host port or None, protocol)])]."""
        family = gen.unique((vpc.account, vpc.region, "family"), family, 255)
        self.family = family
        self.mode = mode
        self.revision = gen.rng.randint(1, 60)
        self.arn = "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (vpc.region, vpc.account, family, self.revision)
        self.containers = containers
        self.fargate = fargate
        defs = []
        for name, ports in containers:
            pms = []
            for cport, hport, proto in ports:
                pm = {"containerPort": cport}
                if hport is not None:
                    pm["hostPort"] = hport
                pm["protocol"] = proto
                pms.append(pm)
            defs.append({"name": name, "image": "%s.dkr.ecr.%s.amazonaws.com/%s:%s" % (
                vpc.account, vpc.region, family, gen.ids.hexs(7)),
                "cpu": 0, "portMappings": pms, "essential": True, "environment": [],
                "mountPoints": [], "volumesFrom": [],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/%s" % family, "awslogs-region": vpc.region,
                    "awslogs-stream-prefix": "ecs"}}})
        td = {"taskDefinitionArn": self.arn, "containerDefinitions": defs, "family": family,
              "executionRoleArn": "arn:aws:iam::%s:role/ecsTaskExecutionRole" % vpc.account}
        if mode != "bridge" or gen.rng.random() < 0.8:
            td["networkMode"] = mode  # bridge is also the default when absent
        td.update({"revision": self.revision, "volumes": [], "status": "ACTIVE",
                   "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"}],
                   "placementConstraints": [],
                   "compatibilities": ["EC2", "FARGATE"] if fargate or mode == "awsvpc" else ["EC2"]})
        if fargate:
            td.update({"requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024"})
        else:
            td["requiresCompatibilities"] = ["EC2"]
        td["registeredAt"] = gen.timestamp()
        gen.out.document(vpc.account, vpc.region, "ecs-describe-task-definition",
                         {"taskDefinition": td, "tags": []})


class Cluster:
    def __init__(self, gen, vpc, name):
        self.gen = gen
        self.vpc = vpc
        self.name = gen.unique((vpc.account, vpc.region, "cluster"), name, 255)
        self.arn = "arn:aws:ecs:%s:%s:cluster/%s" % (vpc.region, vpc.account, self.name)
        self.hosts = []   # dicts: iid, eni, ci_arn, next_port, bindings_v6, trunk, az, ports
        self.tasks = []

    def container_instance(self, iid, eni, trunk=None):
        gen = self.gen
        host = {"iid": iid, "eni": eni, "trunk": trunk, "az": eni.subnet.az,
                "arn": "arn:aws:ecs:%s:%s:container-instance/%s/%s" % (
                    self.vpc.region, self.vpc.account, self.name, gen.ids.hexs(32)),
                "next_port": 32768 + gen.rng.randint(0, 400), "dual": gen.rng.random() < 0.5,
                "ports": ["22", "2375", "2376", "51678", "51679"], "running": 0}
        self.hosts.append(host)
        return host

    def host_port(self, host):
        port = host["next_port"]
        host["next_port"] += self.gen.rng.randint(1, 3)
        return port

    def task(self, svc, host=None, eni=None, att=None):
        """A running task of service `svc`; bridge/host tasks on `host`,
        awsvpc tasks with `eni` (whose description names attachment `att`).
        Returns (task id, bindings [(container, container port, host port, protocol)])."""
        gen, vpc, td = self.gen, self.vpc, svc["td"]
        tid = gen.ids.hexs(32)
        arn = "arn:aws:ecs:%s:%s:task/%s/%s" % (vpc.region, vpc.account, self.name, tid)
        containers, bindings = [], []
        for name, ports in td.containers:
            nb = []
            for cport, hport, proto in ports:
                if td.mode == "bridge":
                    hp = hport if hport else self.host_port(host)
                elif td.mode == "host":
                    hp = cport
                else:
                    continue
                bindings.append((name, cport, hp, proto))
                nb.append({"bindIP": "0.0.0.0", "containerPort": cport, "hostPort": hp, "protocol": proto})
                if host["dual"]:
                    nb.append({"bindIP": "::", "containerPort": cport, "hostPort": hp, "protocol": proto})
                host["ports"].append(str(hp))
            c = {"containerArn": "arn:aws:ecs:%s:%s:container/%s/%s/%s" % (
                     vpc.region, vpc.account, self.name, tid, gen.ids.uuid()),
                 "taskArn": arn, "name": name,
                 "image": "%s.dkr.ecr.%s.amazonaws.com/%s" % (vpc.account, vpc.region, td.family),
                 "runtimeId": "%s-%d" % (tid, gen.rng.randint(10**8, 10**9)),
                 "lastStatus": "RUNNING", "networkBindings": nb, "networkInterfaces": [],
                 "healthStatus": "UNKNOWN", "cpu": "0"}
            if eni is not None:
                c["networkInterfaces"] = [{"attachmentId": att, "privateIpv4Address": eni.ip}]
            containers.append(c)
        t = {"attachments": [], "attributes": [{"name": "ecs.cpu-architecture", "value": "x86_64"}],
             "availabilityZone": (eni.subnet.az if eni else host["az"]),
             "clusterArn": self.arn, "connectivity": "CONNECTED", "connectivityAt": gen.timestamp()}
        if eni is not None:
            details = [("subnetId", eni.subnet.id), ("networkInterfaceId", eni.id),
                       ("macAddress", eni.doc["MacAddress"]),
                       ("privateDnsName", private_dns(eni.ip, vpc.region)),
                       ("privateIPv4Address", eni.ip)]
            t["attachments"] = [{"id": att, "type": "ElasticNetworkInterface", "status": "ATTACHED",
                                 "details": [{"name": k, "value": v} for k, v in details]}]
        if host is not None:
            t["containerInstanceArn"] = host["arn"]
            host["running"] += 1
        t.update({"containers": containers, "cpu": "512" if td.fargate else "256",
                  "createdAt": gen.timestamp(), "desiredStatus": "RUNNING",
                  "enableExecuteCommand": False, "group": "service:%s" % svc["name"],
                  "healthStatus": "UNKNOWN", "lastStatus": "RUNNING",
                  "launchType": "FARGATE" if td.fargate else "EC2", "memory": "1024" if td.fargate else "512",
                  "overrides": {"containerOverrides": [{"name": n} for n, _ in td.containers],
                                "inferenceAcceleratorOverrides": []}})
        if td.fargate:
            t.update({"platformVersion": "1.4.0", "platformFamily": "Linux",
                      "ephemeralStorage": {"sizeInGiB": 20}})
        t.update({"pullStartedAt": gen.timestamp(), "pullStoppedAt": gen.timestamp(),
                  "startedAt": gen.timestamp(), "startedBy": "ecs-svc/%d" % gen.rng.randint(10**18, 10**19),
                  "tags": [], "taskArn": arn, "taskDefinitionArn": td.arn, "version": 3})
        gen.out.item(vpc.account, vpc.region, "ecs-describe-tasks", "tasks", t,
                     extra={"failures": []}, chunk=100)
        svc["running"] += 1
        gen.samples.append(("task", svc["mode"], "task:%s" % tid))
        return tid, bindings

    def service(self, name, td, lbs=(), awsvpc=None, daemon=False):
        """Registers a service (written by finish()); awsvpc = (subnets, groups, public)."""
        name = self.gen.unique((self.arn, "service"), name, 255)
        svc = {"name": name, "td": td, "lbs": list(lbs), "awsvpc": awsvpc, "daemon": daemon,
               "running": 0, "mode": td.mode if not td.fargate else "fargate"}
        self.tasks.append(svc)
        return svc

    def finish(self):
        gen, vpc = self.gen, self.vpc
        acct, region = vpc.account, vpc.region
        for svc in self.tasks:
            td = svc["td"]
            doc = {"serviceArn": "arn:aws:ecs:%s:%s:service/%s/%s" % (region, acct, self.name, svc["name"]),
                   "serviceName": svc["name"], "clusterArn": self.arn,
                   "loadBalancers": [{"targetGroupArn": tg.arn, "containerName": cname, "containerPort": cport}
                                     for tg, cname, cport in svc["lbs"]],
                   "serviceRegistries": [], "status": "ACTIVE", "desiredCount": svc["running"],
                   "runningCount": svc["running"], "pendingCount": 0,
                   "launchType": "FARGATE" if td.fargate else "EC2"}
            if td.fargate:
                doc["platformVersion"] = "LATEST"
                doc["platformFamily"] = "Linux"
            doc["taskDefinition"] = td.arn
            doc["deploymentConfiguration"] = {"deploymentCircuitBreaker": {"enable": True, "rollback": True},
                                              "maximumPercent": 200, "minimumHealthyPercent": 100}
            net = None
            if svc["awsvpc"]:
                subnets, groups, public = svc["awsvpc"]
                net = {"awsvpcConfiguration": {"subnets": [s.id for s in subnets],
                                               "securityGroups": [g.id for g in groups],
                                               "assignPublicIp": "ENABLED" if public else "DISABLED"}}
            dep = {"id": "ecs-svc/%d" % gen.rng.randint(10**18, 10**19), "status": "PRIMARY",
                   "taskDefinition": td.arn, "desiredCount": svc["running"], "pendingCount": 0,
                   "runningCount": svc["running"], "failedTasks": 0, "createdAt": gen.timestamp(),
                   "updatedAt": gen.timestamp(), "launchType": doc["launchType"]}
            if net:
                dep["networkConfiguration"] = net
            dep["rolloutState"] = "COMPLETED"
            doc["deployments"] = [dep]
            doc["events"] = [{"id": gen.ids.uuid(), "createdAt": gen.timestamp(),
                              "message": "(service %s) has reached a steady state." % svc["name"]}]
            doc["createdAt"] = gen.timestamp()
            doc["placementConstraints"] = []
            doc["placementStrategy"] = [] if td.fargate else [{"type": "spread", "field": "attribute:ecs.availability-zone"}]
            if net:
                doc["networkConfiguration"] = net
            doc["schedulingStrategy"] = "DAEMON" if svc["daemon"] else "REPLICA"
            doc["enableECSManagedTags"] = True
            doc["propagateTags"] = "SERVICE"
            doc["enableExecuteCommand"] = False
            gen.out.item(acct, region, "ecs-describe-services", "services", doc,
                         extra={"failures": []}, chunk=10)
        for host in self.hosts:
            attrs = [{"name": "ecs.os-type", "value": "linux"},
                     {"name": "ecs.availability-zone", "value": host["az"]},
                     {"name": "ecs.instance-type", "value": "m5.large"}]
            if host["trunk"] is not None:
                attrs.append({"name": "ecs.awsvpc-trunk-id", "value": host["trunk"].id})
            ports = sorted(set(host["ports"]), key=int)
            gen.out.item(acct, region, "ecs-describe-container-instances", "containerInstances", {
                "containerInstanceArn": host["arn"], "ec2InstanceId": host["iid"], "version": 12,
                "versionInfo": {"agentVersion": "1.82.1", "agentHash": "a5dc3e0b",
                                "dockerVersion": "DockerVersion: 20.10.25"},
                "remainingResources": [{"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0,
                                        "longValue": 0, "integerValue": 0, "stringSetValue": ports}],
                "status": "ACTIVE", "agentConnected": True, "runningTasksCount": host["running"],
                "pendingTasksCount": 0, "attributes": attrs, "tags": []},
                extra={"failures": []}, chunk=100)
