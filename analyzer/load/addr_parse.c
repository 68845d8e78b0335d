/*
 * Strict address, CIDR and protocol parsing. libcidr accepts `10.0.0.0/-1`,
 * `1.2.3` and `/24abc`; AWS never prints those, so anything that is not a
 * canonical dotted quad, IPv6 text (as inet_pton reads it) or CIDR with an
 * in-range decimal length is rejected here first. An IPv4 CIDR that passed
 * is then read by libcidr, whose network address (host bits cleared by its
 * mask) and prefix length become the sgr_prefix. IPv6 CIDRs are not given to
 * it: libcidr 1.2.3's cidr_from_str reads before the start of its argument
 * for text that begins with "::" (AddressSanitizer: a global-buffer-overflow
 * in its strcasecmp on "::/0"), so inet_pton's bytes are masked here. A bare
 * address is converted by the validator itself: libcidr costs ten times as
 * much per call (docs/performance.md, "libcidr"), and there are five
 * addresses for every CIDR. Containment and printing stay in
 * graph/addrset.c, which is plain C.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <libcidr.h>
#include <stdio.h>
#include <stdlib.h>
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

/* libcidr's reading of an IPv4 CIDR whose text the strict reader has
 * accepted: the address with its host bits cleared by libcidr's mask (as AWS
 * prints a CIDR) and the prefix length. libcidr keeps every address in 16
 * bytes, an IPv4 one in the last four. */
static bool cidr_network4(const char *text, sgr_prefix *out)
{
    CIDR *c = cidr_from_str(text);
    if (!c)
        return false;
    uint8_t *addr = cidr_get_addr(c), *mask = cidr_get_mask(c);
    int len = cidr_get_pflen(c);
    bool ok = addr && mask && cidr_get_proto(c) == CIDR_IPV4 && len >= 0 && len <= 32;
    if (ok) {
        sgr_prefix p = {.ip.family = SGR_AF_INET, .len = (uint8_t)len};
        for (unsigned i = 0; i < 4; i++)
            p.ip.b[i] = addr[12 + i] & mask[12 + i];
        *out = p;
    }
    free(addr);
    free(mask);
    cidr_free(c);
    return ok;
}

bool sgr_parse_prefix(const char *text, sgr_prefix *out)
{
    if (!text)
        return false;
    const char *slash = strchr(text, '/');
    if (!slash || strchr(slash + 1, '/'))
        return false;
    sgr_ip ip;
    unsigned len;
    if (!parse_ip_n(text, (size_t)(slash - text), &ip) ||
        !parse_dec(slash + 1, strlen(slash + 1), ip.family == SGR_AF_INET ? 32 : 128, &len))
        return false;
    if (ip.family == SGR_AF_INET)
        return cidr_network4(text, out);
    sgr_prefix p = {.ip = ip, .len = (uint8_t)len};
    for (unsigned i = 0; i < 16; i++) /* clear the host bits */
        p.ip.b[i] &= (uint8_t)(i * 8 >= len ? 0 : i * 8 + 8 <= len ? 0xFF : 0xFF00u >> (len - i * 8));
    *out = p;
    return true;
}

int32_t sgr_parse_protocol(const char *text)
{
    return text ? sgr_proto_parse(text, strlen(text)) : -2;
}
