/* SPDX-License-Identifier: Apache-2.0 */
/* falco-capture: capture information (this first version: --info only). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ff_reader.h"

int main(int argc, char **argv)
{
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	unsigned long long nev = 0, nblk = 0;
	int rc;

	if (argc != 3 || strcmp(argv[1], "--info") != 0) {
		fprintf(stderr, "usage: falco-capture --info FILE\n");
		return 2;
	}
	if (ff_reader_open(&r, argv[2], &err) < 0) {
		fprintf(stderr, "falco-capture: %s\n", err.msg);
		return 1;
	}
	while ((rc = ff_reader_next(r, &b, &err)) != 0) {
		if (rc < 0) {
			fprintf(stderr, "falco-capture: %s\n", err.msg);
			break;
		}
		nblk++;
		if (b.kind == FF_BLK_EVENT)
			nev++;
	}
	printf("blocks %llu events %llu\n", nblk, nev);
	ff_reader_close(r);
	return rc < 0 ? 1 : 0;
}
