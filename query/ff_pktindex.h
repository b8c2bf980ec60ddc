/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packets in the falco-query index: loads pcap/pcapng files (capture/ff_pcap.h)
 * into the `packets` and `flows` tables of an index being built, and links
 * each flow to the `connections` row (and so the process) that owned its
 * socket, by 5-tuple and time.  The tables are part of ff_index's schema; this
 * module only fills them.
 */
#ifndef FF_PKTINDEX_H
#define FF_PKTINDEX_H

#include <sqlite3.h>
#include <stdint.h>

#include "ff_err.h"

struct ff_pktindex;

/* Prepare inserts on `db` (inside the build's transaction).  0 or -errno. */
int ff_pktindex_new(struct ff_pktindex **out, sqlite3 *db, struct ff_err *err);
void ff_pktindex_free(struct ff_pktindex *p);

/* Load one packet file as `pcaps` row `pcap_id`.  Returns 0, 1 when the file is
 * damaged (what came before is kept; err holds the warning), or a negative
 * errno.  *npackets receives the packets loaded. */
int ff_pktindex_load(struct ff_pktindex *p, int64_t pcap_id, const char *path, uint64_t *npackets,
                     struct ff_err *err);

/* Link every flow to its connection and process (after all loads and after
 * the captures were indexed).  0 or -errno. */
int ff_pktindex_link(struct ff_pktindex *p, struct ff_err *err);

#endif /* FF_PKTINDEX_H */
