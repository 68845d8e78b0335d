#include "queries/admin_ports.h"

#include "graph/portset.h"

static const sgr_admin_port ADMIN_PORTS[] = {
    {22, "SSH"},         {23, "Telnet"},        {445, "SMB"},          {1433, "SQL Server"},
    {1521, "Oracle"},    {2375, "Docker API"},  {2376, "Docker API (TLS)"}, {2379, "etcd"},
    {3306, "MySQL"},     {3389, "RDP"},         {5432, "PostgreSQL"},  {5601, "Kibana"},
    {5900, "VNC"},       {5984, "CouchDB"},     {6379, "Redis"},       {6443, "Kubernetes API"},
    {7001, "WebLogic"},  {8086, "InfluxDB"},    {9042, "Cassandra"},   {9200, "Elasticsearch"},
    {9300, "Elasticsearch transport"},          {10250, "kubelet"},    {11211, "Memcached"},
    {27017, "MongoDB"},
};

const sgr_admin_port *sgr_admin_ports(size_t *n)
{
    *n = sizeof ADMIN_PORTS / sizeof ADMIN_PORTS[0];
    return ADMIN_PORTS;
}

bool sgr_is_admin_port(int32_t proto, int32_t lo, int32_t hi, int32_t *which)
{
    if (proto != SGR_PROTO_TCP && proto != SGR_PROTO_ALL)
        return false;
    for (size_t i = 0; i < sizeof ADMIN_PORTS / sizeof ADMIN_PORTS[0]; i++)
        if (ADMIN_PORTS[i].port >= lo && ADMIN_PORTS[i].port <= hi) {
            *which = ADMIN_PORTS[i].port;
            return true;
        }
    return false;
}
