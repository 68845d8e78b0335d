/*
 * sgreach's model of an AWS estate: plain structs, one arena per snapshot.
 *
 * Ownership, stated once: every pointer reachable from an sgr_snapshot (objects,
 * strings, arrays) lives in the snapshot's arena and is valid until
 * sgr_snapshot_free(). Nothing in the model is freed on its own.
 *
 * The model knows nothing of JSON: importers (analyzer/import_*.c) fill it, the
 * graph (graph/) and queries read it. Ids are kept as AWS prints them. Each
 * cross-reference is kept twice: as the id the dump names (always) and as a
 * resolved pointer (NULL when no dump describes the target). A NULL pointer with
 * a non-NULL id means "referenced but never described": verdicts that need it
 * are `unknown`, never `unreachable`.
 */
#ifndef SGREACH_MODEL_H
#define SGREACH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgr_arena sgr_arena;

/* Where an object came from: file as given, JSON path ("$.SecurityGroups[3]"),
 * 1-based line of the value's first character (0 = unknown). */
typedef struct sgr_origin {
    const char *file;
    const char *path;
    uint32_t line;
    const char *tf_address; /* Terraform resource address ("module.net.aws_security_group.db[0]"), else NULL */
} sgr_origin;

enum { SGR_AF_INET = 4, SGR_AF_INET6 = 6 };

/* An address: IPv4 in b[0..3] (network order), IPv6 in b[0..15]. */
typedef struct sgr_ip {
    uint8_t family; /* SGR_AF_INET or SGR_AF_INET6; 0 = none */
    uint8_t b[16];
} sgr_ip;

/* A CIDR with host bits cleared (AWS canonicalises; importers clear them too). */
typedef struct sgr_prefix {
    sgr_ip ip;
    uint8_t len;
} sgr_prefix;

typedef struct sgr_strs {
    const char **items;
    uint32_t count;
} sgr_strs;

typedef struct sgr_tag {
    const char *key;
    const char *value;
} sgr_tag;

typedef struct sgr_tags {
    sgr_tag *items;
    uint32_t count;
} sgr_tags;

/* Protocol numbers as IANA assigns them; -1 = all protocols. */
enum {
    SGR_PROTO_ALL = -1,
    SGR_PROTO_ICMP = 1,
    SGR_PROTO_TCP = 6,
    SGR_PROTO_UDP = 17,
    SGR_PROTO_ICMPV6 = 58
};

/* ------------------------------------------------------------------ EC2 */

typedef struct sgr_vpc sgr_vpc;
typedef struct sgr_subnet sgr_subnet;
typedef struct sgr_route_table sgr_route_table;
typedef struct sgr_nacl sgr_nacl;
typedef struct sgr_sg sgr_sg;
typedef struct sgr_eni sgr_eni;
typedef struct sgr_instance sgr_instance;
typedef struct sgr_prefix_list sgr_prefix_list;
typedef struct sgr_peering sgr_peering;
typedef struct sgr_lb sgr_lb;
typedef struct sgr_target_group sgr_target_group;
typedef struct sgr_task sgr_task;
typedef struct sgr_task_def sgr_task_def;
typedef struct sgr_service sgr_service;
typedef struct sgr_container_instance sgr_container_instance;

struct sgr_vpc {
    const char *id;
    const char *owner;   /* account id, may be NULL */
    const char *region;  /* from folder layout or ARNs, may be NULL */
    bool is_default;
    sgr_prefix *cidrs;   /* every associated IPv4 and IPv6 CIDR */
    uint32_t n_cidrs;
    sgr_tags tags;
    const char *name;    /* tag Name, or NULL */
    sgr_origin origin;
    /* resolved at link time */
    sgr_route_table *main_table; /* NULL when no table of this VPC says Main */
    sgr_nacl *default_nacl;
    bool has_igw;                /* an internet gateway is attached */
    const char *igw_id;
};

struct sgr_subnet {
    const char *id;
    const char *vpc_id;
    const char *owner;
    const char *az;
    sgr_prefix cidr4;           /* family 0 when absent */
    sgr_prefix *cidrs6;
    uint32_t n_cidrs6;
    bool map_public_ip;
    int64_t available_ips;      /* AvailableIpAddressCount, -1 unknown */
    sgr_tags tags;
    const char *name;
    sgr_origin origin;
    /* Set (why, located) when two descriptions disagree on its VPC or CIDR:
     * its routes and network ACL decide nothing. */
    const char *disputed_why;
    /* Set (why, located) at link time when the subnet has no explicit network
     * ACL association and some ACL of its VPC lists associations the dump
     * could not read: that ACL may be the subnet's, so what its ACL decides is
     * unknown. */
    const char *nacl_unknown_why;
    /* resolved */
    sgr_vpc *vpc;
    sgr_route_table *route_table; /* explicit association, else the main table */
    bool route_table_is_main;
    sgr_nacl *nacl;               /* explicit association, else the default NACL */
};

typedef enum sgr_route_target {
    SGR_RT_LOCAL,
    SGR_RT_IGW,
    SGR_RT_EIGW,      /* egress-only internet gateway */
    SGR_RT_NAT,
    SGR_RT_PEERING,
    SGR_RT_TGW,
    SGR_RT_VGW,
    SGR_RT_ENI,       /* NetworkInterfaceId / InstanceId (NAT instance, appliance) */
    SGR_RT_VPCE,      /* gateway endpoint, GWLB endpoint */
    SGR_RT_OTHER
} sgr_route_target;

typedef struct sgr_route {
    sgr_prefix dest;            /* family 0 when the destination is a prefix list */
    const char *dest_prefix_list;
    sgr_route_target target;
    const char *target_id;      /* igw-…, nat-…, pcx-…, tgw-…, eni-…, "local" */
    bool blackhole;             /* State: blackhole — no route */
    sgr_origin origin;
} sgr_route;

struct sgr_route_table {
    const char *id;
    const char *vpc_id;
    bool is_main;
    sgr_strs subnet_ids;        /* explicit associations */
    sgr_route *routes;
    uint32_t n_routes;
    /* Routes the dump holds but that could not be read: where no readable route
     * matches, one of them might, so the lookup is unknown, not "no route". */
    uint32_t n_unreadable;
    sgr_origin origin;
    sgr_vpc *vpc;
};

typedef struct sgr_nacl_entry {
    int32_t rule_number;
    bool egress;
    int32_t protocol;           /* -1 all, else IANA number */
    bool allow;
    sgr_prefix cidr;            /* IPv4 or IPv6 */
    int32_t port_from, port_to; /* TCP/UDP; -1,-1 when absent (all) */
    int32_t icmp_type, icmp_code; /* ICMP; -1 = all */
    sgr_origin origin;
} sgr_nacl_entry;

struct sgr_nacl {
    const char *id;
    const char *vpc_id;
    bool is_default;
    sgr_strs subnet_ids;
    sgr_nacl_entry *entries;    /* sorted by (egress, rule_number) at link time */
    uint32_t n_entries;
    /* Entries the dump holds but that could not be read: a skipped allow could
     * have let the flow through, so what the readable entries block is unknown. */
    uint32_t n_unreadable;
    sgr_origin unreadable_origin;
    bool entries_read;          /* an Entries list was read (to spot a second, different one) */
    /* Set (why, located) when its Associations could not be read: which subnets
     * it filters is unknown (link marks the subnets it may be the ACL of). */
    const char *associations_unknown_why;
    sgr_origin origin;
    sgr_vpc *vpc;
};

typedef struct sgr_igw {
    const char *id;
    sgr_strs vpc_ids;           /* attachments in state available/attached */
    sgr_origin origin;
} sgr_igw;

typedef struct sgr_nat {
    const char *id;
    const char *vpc_id;
    const char *subnet_id;
    const char *state;
    bool is_private;            /* ConnectivityType private */
    sgr_ip *public_ips;
    uint32_t n_public_ips;
    sgr_ip *private_ips;
    uint32_t n_private_ips;
    sgr_strs eni_ids;
    sgr_origin origin;
} sgr_nat;

typedef struct sgr_peer_side {
    const char *vpc_id;
    const char *owner;
    const char *region;
    sgr_prefix *cidrs;
    uint32_t n_cidrs;
} sgr_peer_side;

struct sgr_peering {
    const char *id;
    const char *status;         /* Status.Code; only "active" carries traffic */
    sgr_peer_side requester;
    sgr_peer_side accepter;
    sgr_origin origin;
};

struct sgr_prefix_list {
    const char *id;
    const char *name;
    const char *owner;
    uint8_t family;             /* from AddressFamily, 0 unknown */
    int64_t max_entries;        /* -1 unknown */
    bool entries_known;         /* get-managed-prefix-list-entries seen, or inline Cidrs */
    sgr_prefix *entries;
    uint32_t n_entries;
    sgr_origin origin;
};

typedef enum sgr_peer_kind {
    SGR_PEER_CIDR,
    SGR_PEER_PREFIX_LIST,
    SGR_PEER_GROUP
} sgr_peer_kind;

typedef struct sgr_sg_rule {
    bool egress;
    int32_t protocol;           /* -1 all, else IANA number ("tcp" and "6" both give 6) */
    int32_t from_port, to_port; /* TCP/UDP ports; ICMP type/code; -1 = all */
    sgr_peer_kind peer_kind;
    sgr_prefix cidr;            /* SGR_PEER_CIDR */
    const char *prefix_list_id; /* SGR_PEER_PREFIX_LIST */
    const char *group_id;       /* SGR_PEER_GROUP; NULL while only group_name is known */
    const char *group_name;     /* GroupName of a pair without GroupId (default-VPC, EC2-Classic era
                                 * dumps): link resolves it within the rule's VPC; unresolved, the
                                 * rule (only it) matches an unknown set */
    const char *group_owner;    /* UserId, may be NULL */
    const char *group_vpc;      /* VpcId, may be NULL */
    const char *peering_id;     /* VpcPeeringConnectionId, may be NULL */
    const char *rule_id;        /* sgr-… when from describe-security-group-rules */
    const char *description;
    sgr_origin origin;
    /* resolved */
    sgr_prefix_list *prefix_list;
    sgr_sg *group;
} sgr_sg_rule;

struct sgr_sg {
    const char *id;
    const char *name;
    const char *description;
    const char *vpc_id;
    const char *owner;
    sgr_tags tags;
    bool described;             /* false: only referenced (rules unknown) */
    sgr_sg_rule *rules;         /* ingress and egress, in dump order */
    uint32_t n_rules;
    /* Rules the dump holds but that could not be read (an invalid CIDR, port or
     * protocol): the group may allow more than `rules` says, so a flow its
     * readable rules do not allow is `unknown`, never `unreachable`. */
    uint32_t n_unreadable_in, n_unreadable_out;
    sgr_origin unreadable_origin; /* the first of them */
    const char *unreadable_why;   /* why, when not unreadable text (a plan that shows no rules), or NULL */
    sgr_origin origin;
    sgr_vpc *vpc;
};

typedef struct sgr_public_ip {
    sgr_ip ip;
    bool elastic;               /* IpOwnerId is an account (EIP), not "amazon" */
    sgr_ip private_ip;          /* the private address it maps to */
} sgr_public_ip;

typedef enum sgr_eni_owner {
    SGR_ENI_OWNER_NONE,         /* unattached or unknown */
    SGR_ENI_OWNER_INSTANCE,
    SGR_ENI_OWNER_TASK,         /* awsvpc task (incl. branch ENIs) */
    SGR_ENI_OWNER_LB,
    SGR_ENI_OWNER_NAT,
    SGR_ENI_OWNER_VPCE,
    SGR_ENI_OWNER_RDS,
    SGR_ENI_OWNER_OTHER         /* another AWS-managed interface */
} sgr_eni_owner;

struct sgr_eni {
    const char *id;
    const char *vpc_id;
    const char *subnet_id;
    const char *description;
    const char *interface_type; /* as printed; NULL = "interface" */
    const char *requester_id;
    bool requester_managed;
    const char *status;
    const char *owner;
    sgr_ip *private_ips;        /* primary first */
    uint32_t n_private_ips;
    sgr_ip *ipv6;
    uint32_t n_ipv6;
    sgr_prefix *prefixes;       /* Ipv4Prefixes/Ipv6Prefixes delegated to the interface: */
    uint32_t n_prefixes;        /* every address in them is the interface's */
    sgr_public_ip *public_ips;
    uint32_t n_public_ips;
    sgr_strs group_ids;
    bool groups_read;              /* a Groups list was read (to spot a second, different one) */
    bool primary_read;             /* a PrivateIpAddress was read (to spot a second, different one) */
    /* Set when the groups that filter the interface could not be read, or two
     * descriptions disagree on them or on its subnet or VPC: why, located.
     * What its groups decide is unknown. */
    const char *groups_unknown_why;
    const char *attached_instance; /* Attachment.InstanceId */
    int32_t device_index;          /* -1 unknown */
    bool source_dest_check;
    bool deny_all_igw_traffic;
    /* A planned interface (Terraform) whose private address AWS has not assigned
     * yet: n_private_ips is 0 and its address is ANY address of its subnet
     * (subnet->cidr4, subnet->cidrs6). A verdict that holds for every address of
     * that set is definite; one that depends on the address is `unknown`. */
    bool address_planned;
    sgr_tags tags;
    const char *name;
    sgr_origin origin;
    /* resolved */
    sgr_subnet *subnet;
    sgr_vpc *vpc;
    sgr_sg **groups;            /* parallel to group_ids; NULL entries undescribed */
    sgr_instance *instance;
    sgr_eni_owner owner_kind;
    sgr_lb *lb;                 /* SGR_ENI_OWNER_LB */
    sgr_task *task;             /* SGR_ENI_OWNER_TASK */
};

typedef struct sgr_instance_eni {
    const char *eni_id;
    int32_t device_index;
    sgr_eni *eni;               /* resolved */
} sgr_instance_eni;

struct sgr_instance {
    const char *id;
    const char *state;          /* running, stopped, … */
    const char *instance_type;
    const char *vpc_id;
    const char *subnet_id;
    sgr_ip private_ip;
    sgr_ip public_ip;
    sgr_strs group_ids;
    sgr_instance_eni *enis;
    uint32_t n_enis;
    const char *owner;
    sgr_tags tags;
    const char *name;
    sgr_origin origin;
    /* resolved */
    sgr_eni *primary_eni;       /* device index 0 */
    sgr_container_instance *container_instance;
};

typedef struct sgr_vpc_endpoint {
    const char *id;
    const char *type;           /* Interface, Gateway, GatewayLoadBalancer */
    const char *vpc_id;
    const char *service_name;
    sgr_strs subnet_ids;
    sgr_strs eni_ids;
    sgr_strs group_ids;
    sgr_strs route_table_ids;
    const char *state;          /* State: available, pendingAcceptance, rejected, … (NULL: not in the dump) */
    sgr_origin origin;
    /* resolved: the endpoint service its ServiceName names, when its
     * provider's describe-vpc-endpoint-service-configurations is in the
     * snapshot (NULL otherwise, and for AWS services) */
    const struct sgr_endpoint_service *service;
    /* the provider's record of this endpoint (describe-vpc-endpoint-connections), or NULL */
    const struct sgr_endpoint_connection *connection;
} sgr_vpc_endpoint;

/* An endpoint service (PrivateLink provider side), from
 * describe-vpc-endpoint-service-configurations: its name leads interface
 * endpoints to its Network Load Balancers (Gateway Load Balancer endpoints to
 * its Gateway Load Balancers). */
typedef struct sgr_endpoint_service {
    const char *id;             /* ServiceId vpce-svc-… */
    const char *name;           /* ServiceName com.amazonaws.vpce.REGION.vpce-svc-… */
    const char *state;          /* ServiceState: Available, Pending, Deleting, … */
    sgr_strs nlb_arns;          /* NetworkLoadBalancerArns */
    sgr_strs gwlb_arns;         /* GatewayLoadBalancerArns */
    sgr_origin origin;
} sgr_endpoint_service;

/* The provider's view of one endpoint of its service
 * (describe-vpc-endpoint-connections), keyed "SERVICE_ID|VPCE_ID". */
typedef struct sgr_endpoint_connection {
    const char *key;
    const char *service_id;
    const char *vpce_id;
    const char *state;          /* VpcEndpointState: available, pendingAcceptance, rejected, … */
    sgr_origin origin;
} sgr_endpoint_connection;

typedef struct sgr_tgw_attachment {
    const char *id;
    const char *tgw_id;
    const char *resource_type;  /* vpc, vpn, peering, … */
    const char *resource_id;
    const char *state;
    sgr_strs subnet_ids;        /* TransitGatewayVpcAttachments only */
    sgr_origin origin;
    const char *route_table_id; /* Association.TransitGatewayRouteTableId, may be NULL */
    /* Options.SecurityGroupReferencingSupport of a VPC attachment: 1 enable,
     * 0 disable, -1 not in the snapshot, -2 not readable (import_batfish.c) */
    int8_t sg_referencing;
    /* Set (why, located) when a field that places it (TransitGatewayId, its
     * VPC, ResourceType, State, Association, SubnetIds) could not be read:
     * whatever it could decide on a transit-gateway path is unknown. */
    const char *damaged_why;
} sgr_tgw_attachment;

/* A transit gateway (describe-transit-gateways). */
typedef struct sgr_tgw {
    const char *id;
    const char *owner;
    const char *state;
    int8_t sg_referencing;      /* Options.SecurityGroupReferencingSupport: 1, 0, -1 not given, -2 not readable */
    sgr_origin origin;
} sgr_tgw;

/* A transit gateway route table as Batfish's collector dumps it. Present only
 * when the snapshot has TransitGatewayRouteTables; without it TGW paths are unknown. */
typedef struct sgr_tgw_route {
    sgr_prefix dest;
    const char *attachment_id;  /* NULL for blackhole */
    bool blackhole;
    /* set (why, located) when its state or attachment could not be read:
     * where it is the most specific route, the path is unknown */
    const char *unknown_why;
    sgr_origin origin;
} sgr_tgw_route;

typedef struct sgr_tgw_route_table {
    const char *id;
    const char *tgw_id;
    sgr_strs associated_attachments;
    sgr_strs propagated_attachments;
    /* set (why, located) when a propagation list could not be read: a route the
     * table does not show may be the most specific one */
    const char *propagations_unknown_why;
    /* set (why, located) when a static route or the list of them could not
     * be read: the route it would have been may be the most specific one */
    const char *routes_unknown_why;
    sgr_tgw_route *routes;      /* static routes */
    uint32_t n_routes;
    sgr_origin origin;
} sgr_tgw_route_table;

/* A database (RDS instance/cluster from Batfish's DBInstances or Terraform). */
typedef struct sgr_db {
    const char *id;
    const char *engine;
    int32_t port;               /* -1 unknown */
    const char *vpc_id;
    sgr_strs subnet_ids;
    sgr_strs group_ids;
    const char *groups_unknown_why; /* set (why, located) when VpcSecurityGroups could not be read */
    bool publicly_accessible;
    sgr_ip address;             /* family 0 when unknown */
    sgr_origin origin;
} sgr_db;

/* An ElastiCache cache cluster (describe-cache-clusters). Its nodes' endpoints
 * are DNS names, so its interfaces are found by their description
 * ("ElastiCache ID", requester-managed), docs/selectors.md. */
typedef struct sgr_cache {
    const char *id;             /* CacheClusterId */
    const char *replication_group_id; /* NULL: none */
    const char *engine;
    sgr_strs group_ids;         /* SecurityGroups[].SecurityGroupId */
    sgr_origin origin;
} sgr_cache;

/* A Lambda function attached to a VPC (lambda list-functions, VpcConfig). Its
 * Hyperplane interfaces (InterfaceType lambda) are shared by every function
 * with the same subnet and groups, docs/selectors.md. */
typedef struct sgr_function {
    const char *name;           /* FunctionName */
    const char *arn;
    const char *vpc_id;
    sgr_strs subnet_ids;
    sgr_strs group_ids;
    sgr_origin origin;
} sgr_function;

/* ------------------------------------------------------------------ ECS */

typedef enum sgr_net_mode {
    SGR_NET_BRIDGE,             /* also the default when networkMode is absent (Linux) */
    SGR_NET_HOST,
    SGR_NET_AWSVPC,
    SGR_NET_NONE,
    SGR_NET_DEFAULT             /* Windows "default" (docker nat): treated like bridge */
} sgr_net_mode;

typedef struct sgr_port_mapping {
    int32_t container_port;     /* first port */
    int32_t container_port_end; /* = container_port unless containerPortRange */
    int32_t host_port;          /* 0 = dynamic (bridge), -1 absent */
    int32_t host_port_end;
    int32_t protocol;           /* SGR_PROTO_TCP or SGR_PROTO_UDP */
    sgr_origin origin;
} sgr_port_mapping;

typedef struct sgr_container_def {
    const char *name;
    sgr_port_mapping *ports;
    uint32_t n_ports;
} sgr_container_def;

struct sgr_task_def {
    const char *arn;
    const char *family;
    int32_t revision;
    sgr_net_mode network_mode;
    bool network_mode_given;
    sgr_strs compatibilities;   /* requiresCompatibilities */
    sgr_container_def *containers;
    uint32_t n_containers;
    /* Set (why, located) when a container definition or port mapping could not
     * be read: a port it does not list may still be one it publishes, so the
     * host port of an unlisted container port is unknown, not "none". */
    const char *ports_unknown_why;
    sgr_origin origin;
};

typedef struct sgr_network_binding {
    sgr_ip bind_ip;
    int32_t container_port, container_port_end;
    int32_t host_port, host_port_end;
    int32_t protocol;
} sgr_network_binding;

typedef struct sgr_task_container {
    const char *name;
    sgr_network_binding *bindings;
    uint32_t n_bindings;
    sgr_ip private_ip;          /* containers[].networkInterfaces[].privateIpv4Address */
} sgr_task_container;

struct sgr_task {
    const char *arn;
    const char *id;             /* last ARN component */
    const char *cluster_arn;
    const char *task_def_arn;
    const char *group;          /* "service:NAME" for service tasks */
    const char *launch_type;    /* FARGATE, EC2, EXTERNAL; may be NULL */
    const char *last_status;
    const char *container_instance_arn;
    const char *eni_id;         /* awsvpc attachment's networkInterfaceId */
    const char *attachment_id;
    const char *subnet_id;      /* awsvpc attachment's subnetId */
    sgr_ip private_ip;          /* awsvpc attachment's privateIPv4Address */
    sgr_task_container *containers;
    uint32_t n_containers;
    /* Some description of the task had a binding that could not be read: its
     * bindings are not used even if another description reads cleanly, so
     * the answer does not depend on the order the files load in. */
    bool bindings_unread;
    sgr_tags tags;
    sgr_origin origin;
    /* resolved */
    sgr_task_def *task_def;
    sgr_service *service;
    sgr_eni *eni;               /* awsvpc */
    sgr_container_instance *container_instance;
    sgr_instance *instance;     /* via the container instance */
};

struct sgr_container_instance {
    const char *arn;
    const char *cluster_arn;
    const char *ec2_instance_id;
    const char *trunk_eni_id;   /* attribute ecs.awsvpc-trunk-id */
    sgr_origin origin;
    sgr_instance *instance;     /* resolved */
};

typedef struct sgr_service_lb {
    const char *target_group_arn;
    const char *lb_name;        /* classic ELB */
    const char *container_name;
    int32_t container_port;
    sgr_target_group *target_group; /* resolved */
    sgr_lb *lb;
} sgr_service_lb;

struct sgr_service {
    const char *arn;
    const char *name;
    const char *cluster_arn;
    const char *task_def_arn;
    const char *launch_type;
    int32_t desired_count;      /* -1 unknown */
    bool has_awsvpc_config;
    sgr_strs subnet_ids;        /* awsvpcConfiguration */
    sgr_strs group_ids;
    const char *groups_unknown_why; /* set (why, located) when awsvpcConfiguration.securityGroups could not be read */
    bool assign_public_ip;
    sgr_service_lb *lbs;
    uint32_t n_lbs;
    sgr_tags tags;
    sgr_origin origin;
    /* resolved */
    sgr_task_def *task_def;
    sgr_task **tasks;
    uint32_t n_tasks;
};

/* ------------------------------------------------------------------ ELB */

typedef enum sgr_lb_type {
    SGR_LB_APPLICATION,
    SGR_LB_NETWORK,
    SGR_LB_GATEWAY,
    SGR_LB_CLASSIC
} sgr_lb_type;

typedef struct sgr_classic_listener {
    int32_t protocol;           /* TCP for HTTP/HTTPS/SSL/TCP */
    int32_t lb_port;
    int32_t instance_port;
} sgr_classic_listener;

struct sgr_lb {
    const char *arn;            /* NULL for classic */
    const char *name;
    sgr_lb_type type;
    bool internet_facing;
    const char *vpc_id;
    sgr_strs subnet_ids;
    sgr_strs group_ids;         /* empty: an NLB without groups filters nothing */
    const char *groups_unknown_why; /* set (why, located) when SecurityGroups could not be read */
    const char *ip_address_type;
    sgr_ip *addresses;          /* LoadBalancerAddresses (IpAddress, PrivateIPv4Address) */
    uint32_t n_addresses;
    sgr_classic_listener *classic_listeners;
    uint32_t n_classic_listeners;
    sgr_strs classic_instances;
    const char *instances_unknown_why; /* set (why, located) when a classic ELB's Instances could not be read */
    sgr_origin origin;
    /* resolved */
    sgr_eni **enis;             /* found by Description "ELB app|net|gwy/NAME/ID" or "ELB NAME" */
    uint32_t n_enis;
    sgr_sg **groups;
    struct sgr_listener **listeners; /* its listeners (LoadBalancerArn), in snapshot order */
    uint32_t n_listeners;
    /* Why its listeners are not known (a describe-listeners call that failed,
     * or no listener dump at all: docs/coverage.md), else NULL. */
    const char *listeners_unknown;
    /* EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic of an NLB with
     * groups: 0 not in the snapshot (AWS's default: on), 1 on, 2 off,
     * 3 not readable (whatever another description says) */
    uint8_t enforce_privatelink;
};

typedef struct sgr_target {
    const char *id;             /* instance id, IP, Lambda ARN, ALB ARN */
    int32_t port;               /* -1: the group's port */
    const char *az;
    const char *state;          /* healthy, unhealthy, … */
    sgr_origin origin;
    sgr_instance *instance;     /* resolved for instance targets */
    sgr_eni *eni;               /* resolved for ip targets inside the VPC */
    sgr_ip addr;                /* an ip target's address, parsed at load (family 0: not an address) */
} sgr_target;

struct sgr_target_group {
    const char *arn;
    const char *name;
    int32_t protocol;           /* transport: TCP/UDP (HTTP/HTTPS/TLS → TCP) */
    const char *protocol_name;  /* as printed: HTTP, TCP, TLS, UDP, TCP_UDP, … */
    int32_t port;
    const char *vpc_id;
    const char *target_type;    /* instance, ip, lambda, alb */
    const char *ip_address_type; /* IpAddressType: ipv4 (AWS's default when absent) or ipv6 */
    const char *health_check_port; /* "traffic-port" or a number */
    sgr_strs lb_arns;
    int8_t preserve_client_ip;  /* -1 not in the snapshot, 0 false, 1 true */
    bool attributes_known;
    bool targets_known;         /* describe-target-health seen */
    /* set (why, located) when a target health list or a target in it could
     * not be read: a target it does not show may be registered */
    const char *targets_unknown_why;
    sgr_target *targets;
    uint32_t n_targets;
    sgr_origin origin;
    sgr_origin attributes_origin;
    /* resolved */
    sgr_lb **lbs;
    uint32_t n_lbs;
};

/* The port of the listener the engine stands in for listeners not read
 * (sgr_lb.listeners_unknown): any port, none of it definite. */
#define SGR_LISTENER_PORT_UNKNOWN (-1)

typedef struct sgr_listener {
    const char *arn;
    const char *lb_arn;
    int32_t port;
    const char *protocol_name;
    int32_t protocol;           /* transport */
    sgr_strs target_group_arns; /* DefaultActions forward + ForwardConfig */
    sgr_origin origin;
    sgr_lb *lb;                 /* resolved */
} sgr_listener;

/* ------------------------------------------------------------------ diagnostics */

typedef enum sgr_severity { SGR_SEV_WARNING, SGR_SEV_ERROR } sgr_severity;

typedef struct sgr_diag {
    sgr_severity severity;
    const char *file;           /* may be NULL */
    const char *path;           /* JSON path, may be NULL */
    uint32_t line, column;      /* 0 = unknown */
    const char *message;
} sgr_diag;

/* ------------------------------------------------------------------ inputs and coverage */

/* What a file of the load was recognised as: bits, since one file may hold
 * several documents. 0: nothing sgreach reads (warned; a load of such files
 * only is refused). */
enum {
    SGR_INPUT_AWS = 1,        /* AWS CLI output sgreach imports */
    SGR_INPUT_TF_PLAN = 2,    /* `terraform show -json` of a plan */
    SGR_INPUT_TF_STATE = 4,   /* `terraform show -json` of a state */
    SGR_INPUT_MANIFEST = 8,   /* scripts/collect-aws's record of its calls */
    SGR_INPUT_TF_LOG = 16,    /* the `terraform plan -json` log stream: not a plan */
    SGR_INPUT_AWS_UNUSED = 32, /* AWS CLI output sgreach knows but models nothing of */
    SGR_INPUT_NOT_JSON = 64   /* a file met in a directory whose content is not a JSON object: skipped unread */
};

typedef struct sgr_input {
    const char *path;           /* as read */
    uint32_t what;              /* SGR_INPUT_* bits */
} sgr_input;

/* How one collection call ended (the collector's manifest), worst first
 * after OK. SGR_CALL_ABSENT: no manifest says, but the snapshot lacks a dump
 * that what it holds needs (load balancers without listeners). */
typedef enum sgr_call_status {
    SGR_CALL_OK,
    SGR_CALL_DENIED,
    SGR_CALL_THROTTLED,
    SGR_CALL_FAILED,
    SGR_CALL_ABSENT
} sgr_call_status;

/* What the snapshot read, and what it could not: one entry per (account,
 * region, call), docs/coverage.md. Calls made once per object (listeners per
 * load balancer) count how many were made and how many failed; `error` is the
 * first failure's text. `describes` and `unknown` say, in words, what the call
 * describes and what its failure leaves unknown. */
typedef struct sgr_coverage {
    const char *account, *region; /* NULL when the manifest's folder names none */
    const char *call;           /* "elbv2 describe-listeners" */
    sgr_call_status status;     /* the worst of its calls */
    uint32_t n_calls, n_failed;
    const char *error;          /* NULL when every call succeeded */
    const char *describes;
    const char *unknown;        /* NULL for status OK */
    sgr_strs failed_targets;    /* per-object calls: the objects whose call failed (ARNs) */
    sgr_origin origin;          /* the manifest entry (first failure, else first call) */
} sgr_coverage;

/* ------------------------------------------------------------------ the snapshot */

#define SGR_VEC(type, name) \
    type **name;            \
    uint32_t n_##name;      \
    uint32_t cap_##name

typedef struct sgr_snapshot {
    sgr_arena *arena;
    SGR_VEC(sgr_vpc, vpcs);
    SGR_VEC(sgr_subnet, subnets);
    SGR_VEC(sgr_route_table, route_tables);
    SGR_VEC(sgr_igw, igws);
    SGR_VEC(sgr_nat, nats);
    SGR_VEC(sgr_peering, peerings);
    SGR_VEC(sgr_nacl, nacls);
    SGR_VEC(sgr_prefix_list, prefix_lists);
    SGR_VEC(sgr_sg, sgs);
    SGR_VEC(sgr_eni, enis);
    SGR_VEC(sgr_instance, instances);
    SGR_VEC(sgr_vpc_endpoint, vpc_endpoints);
    SGR_VEC(sgr_tgw_attachment, tgw_attachments);
    SGR_VEC(sgr_tgw_route_table, tgw_route_tables);
    SGR_VEC(sgr_tgw, tgws);
    SGR_VEC(sgr_db, dbs);
    SGR_VEC(sgr_task_def, task_defs);
    SGR_VEC(sgr_task, tasks);
    SGR_VEC(sgr_container_instance, container_instances);
    SGR_VEC(sgr_service, services);
    SGR_VEC(sgr_lb, lbs);
    SGR_VEC(sgr_target_group, target_groups);
    SGR_VEC(sgr_listener, listeners);
    SGR_VEC(sgr_endpoint_service, endpoint_services);
    SGR_VEC(sgr_endpoint_connection, endpoint_connections);
    SGR_VEC(sgr_cache, caches);
    SGR_VEC(sgr_function, functions);
    SGR_VEC(sgr_diag, diags);
    SGR_VEC(sgr_input, inputs);   /* every file read, in reading order */
    SGR_VEC(sgr_coverage, coverage); /* sorted by account, region, call */
    uint32_t n_files;           /* JSON files read */
    struct sgr_index *index;    /* id → object, see snapshot.h */
} sgr_snapshot;

#endif
