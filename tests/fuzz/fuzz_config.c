/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: any bytes as a falco.yaml-style config file (through a
 * memfd, since configs are read from a path), then -o overrides made of
 * its first line.  Must never crash or leak. */
#define _GNU_SOURCE
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ff_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ff_config c;
	struct ff_err err = { 0 };
	char path[64], kv[256];
	int fd = memfd_create("fuzz-config", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || ff_config_init(&c)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	(void)ff_config_load_file(&c, path, &err);
	/* the data is not NUL-terminated: the first line is searched by length */
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	if (n >= sizeof(kv))
		n = sizeof(kv) - 1;
	memcpy(kv, data, n);
	kv[n] = '\0';
	(void)ff_config_set(&c, kv, &err);
	ff_config_free(&c);
	close(fd);
	return 0;
}
