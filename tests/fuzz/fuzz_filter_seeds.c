/* SPDX-License-Identifier: Apache-2.0 */
/* Write every `condition:` of the given rules files as one seed file each:
 * fuzz_filter_seeds OUTDIR FILE.yaml... */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

static int nseeds;

static void save(const char *dir, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/cond-%04d", dir, nseeds++);
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return;
	fputs(text, fp);
	fclose(fp);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s OUTDIR FILE.yaml...\n", argv[0]);
		return 2;
	}
	for (int a = 2; a < argc; a++) {
		FILE *fp = fopen(argv[a], "rb");
		yaml_parser_t ps;
		yaml_event_t ev;
		int want = 0, done = 0;
		if (!fp) {
			perror(argv[a]);
			return 1;
		}
		yaml_parser_initialize(&ps);
		yaml_parser_set_input_file(&ps, fp);
		/* a scalar right after a `condition` key scalar is a condition */
		while (!done && yaml_parser_parse(&ps, &ev)) {
			if (ev.type == YAML_SCALAR_EVENT) {
				const char *v = (const char *)ev.data.scalar.value;
				if (want)
					save(argv[1], v);
				want = !want && strcmp(v, "condition") == 0;
			} else {
				want = 0;
			}
			done = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&ps);
		fclose(fp);
	}
	printf("%d seeds\n", nseeds);
	return 0;
}
