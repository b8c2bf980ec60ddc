/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A name is resolved once per process: a replay is short, and asking again
 * per event would make evaluation as slow as the resolver.  Entries are
 * never freed (bounded by DNS_MAX names) so name_of() can hand out pointers.
 */
#include "config.h"

#include "ff_dns.h"

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* conditions name a handful of hosts; more than this is not a rules file */
#define DNS_MAX 4096
#define DNS_ADDRS_MAX 64

struct dns_entry {
	struct dns_entry *next;
	uint32_t naddrs;
	struct ff_ip addrs[DNS_ADDRS_MAX];
	char name[];
};

static pthread_mutex_t dns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dns_entry *dns_head; /* in resolution order */
static struct dns_entry **dns_tail = &dns_head;
static unsigned dns_count;

static void add_addr(struct dns_entry *e, const struct sockaddr *sa)
{
	struct ff_ip ip = { 0 };
	if (sa->sa_family == AF_INET) {
		ip.family = 4;
		ip.bits = 32;
		memcpy(ip.a, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		ip.family = 6;
		ip.bits = 128;
		memcpy(ip.a, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	} else {
		return;
	}
	for (uint32_t i = 0; i < e->naddrs; i++)
		if (memcmp(&e->addrs[i], &ip, sizeof(ip)) == 0)
			return;
	if (e->naddrs < DNS_ADDRS_MAX)
		e->addrs[e->naddrs++] = ip;
}

/* Called with dns_lock held; NULL when the cache is full or memory is out. */
static struct dns_entry *resolve(const char *name, size_t len)
{
	if (dns_count >= DNS_MAX)
		return NULL;
	struct dns_entry *e = calloc(1, sizeof(*e) + len + 1);
	if (!e)
		return NULL;
	memcpy(e->name, name, len);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	/* a name with a NUL inside is not a host name: cached as unresolved */
	if (strlen(e->name) == len && getaddrinfo(e->name, NULL, &hints, &res) == 0) {
		for (struct addrinfo *a = res; a; a = a->ai_next)
			add_addr(e, a->ai_addr);
		freeaddrinfo(res);
	}
	*dns_tail = e;
	dns_tail = &e->next;
	dns_count++;
	return e;
}

static bool has_addr(const struct dns_entry *e, const struct ff_ip *ip)
{
	size_t n = ip->family == 6 ? 16 : 4;
	for (uint32_t i = 0; i < e->naddrs; i++)
		if (e->addrs[i].family == ip->family && memcmp(e->addrs[i].a, ip->a, n) == 0)
			return true;
	return false;
}

bool ff_dns_match(const char *name, size_t len, const struct ff_ip *ip)
{
	struct dns_entry *e;
	pthread_mutex_lock(&dns_lock);
	for (e = dns_head; e; e = e->next)
		if (strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			break;
	if (!e)
		e = resolve(name, len);
	bool m = e && has_addr(e, ip);
	pthread_mutex_unlock(&dns_lock);
	return m;
}

const char *ff_dns_name_of(const struct ff_ip *ip)
{
	const char *name = NULL;
	pthread_mutex_lock(&dns_lock);
	for (const struct dns_entry *e = dns_head; e && !name; e = e->next)
		if (has_addr(e, ip))
			name = e->name;
	pthread_mutex_unlock(&dns_lock);
	return name;
}
