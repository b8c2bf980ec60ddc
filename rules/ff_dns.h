/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names for fd.cip.name / fd.sip.name / fd.lip.name / fd.rip.name, the way
 * Falco and sysdig give them: a name written in a condition is resolved
 * (getaddrinfo: /etc/hosts, then DNS) the first time a comparison needs
 * it, and an address "has" that name when it is one of the name's
 * addresses.  An address is displayed with the first such name resolved so
 * far, or with no name.  One cache per process, shared by every filter
 * (resolving is slow and the answers are the host's); thread safe.
 */
#ifndef FF_DNS_H
#define FF_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "ff_field.h"

/* Does `name` (len bytes, not NUL-terminated) resolve to `ip`?  A name that
 * does not resolve matches nothing, and is not asked again. */
bool ff_dns_match(const char *name, size_t len, const struct ff_ip *ip);

/* The first name resolved so far that includes `ip`, or NULL.  The string
 * lives as long as the process. */
const char *ff_dns_name_of(const struct ff_ip *ip);

#endif
