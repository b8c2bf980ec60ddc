/* SPDX-License-Identifier: Apache-2.0 */
/* Stop requests by signal (ff_stop.h). */
#include "config.h"

#include <string.h>

#include "ff_stop.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void ff_stop_catch(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

volatile sig_atomic_t *ff_stop_flag(void)
{
	return &stop_requested;
}
