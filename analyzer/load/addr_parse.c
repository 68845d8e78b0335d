/*
 * Strict address, CIDR and protocol parsing. libcidr accepts `10.0.0.0/-1`,
 * `1.2.3` and `/24abc`; AWS never prints those, so anything that is not a
 * canonical dotted quad, IPv6 text or CIDR with an in-range decimal length is
 * rejected here, and inet_pton does the conversion of what passed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "graph/portset.h"
#include "load/import.h"

/* Decimal digits only, no sign, no leading zero (except "0" itself), ≤ max. */
static bool parse_dec(const char *s, size_t n, unsigned max, unsigned *out)
{
    if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_v4(const char *s, size_t n, uint8_t b[4])
{
    size_t start = 0;
    int part = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            unsigned v;
            if (part > 3 || !parse_dec(s + start, i - start, 255, &v))
                return false;
            b[part++] = (uint8_t)v;
            start = i + 1;
        }
    }
    return part == 4;
}

static bool parse_v6(const char *s, size_t n, uint8_t b[16])
{
    char buf[INET6_ADDRSTRLEN + 1];
    if (n < 2 || n >= sizeof buf)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]) && s[i] != ':' && s[i] != '.')
            return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return inet_pton(AF_INET6, buf, b) == 1;
}

static bool parse_ip_n(const char *s, size_t n, sgr_ip *out)
{
    sgr_ip ip = {0};
    if (memchr(s, ':', n)) {
        if (!parse_v6(s, n, ip.b))
            return false;
        ip.family = SGR_AF_INET6;
    } else {
        if (!parse_v4(s, n, ip.b))
            return false;
        ip.family = SGR_AF_INET;
    }
    *out = ip;
    return true;
}

bool sgr_parse_ip(const char *text, sgr_ip *out)
{
    if (!text)
        return false;
    return parse_ip_n(text, strlen(text), out);
}

bool sgr_parse_prefix(const char *text, sgr_prefix *out)
{
    if (!text)
        return false;
    const char *slash = strchr(text, '/');
    if (!slash || strchr(slash + 1, '/'))
        return false;
    sgr_prefix p = {0};
    if (!parse_ip_n(text, (size_t)(slash - text), &p.ip))
        return false;
    unsigned len;
    unsigned max = p.ip.family == SGR_AF_INET ? 32 : 128;
    if (!parse_dec(slash + 1, strlen(slash + 1), max, &len))
        return false;
    p.len = (uint8_t)len;
    /* Clear host bits, as AWS does when it prints a CIDR. */
    unsigned nbytes = p.ip.family == SGR_AF_INET ? 4 : 16;
    for (unsigned i = 0; i < nbytes; i++) {
        unsigned bit = i * 8;
        if (bit >= len)
            p.ip.b[i] = 0;
        else if (bit + 8 > len)
            p.ip.b[i] &= (uint8_t)(0xFF00u >> (len - bit));
    }
    *out = p;
    return true;
}

int32_t sgr_parse_protocol(const char *text)
{
    return text ? sgr_proto_parse(text, strlen(text)) : -2;
}
