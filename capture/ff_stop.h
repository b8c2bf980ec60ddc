/* SPDX-License-Identifier: Apache-2.0 */
/* SIGINT and SIGTERM as a request to stop a live run cleanly. */
#ifndef FF_STOP_H
#define FF_STOP_H

#include <signal.h>

/* Catch SIGINT and SIGTERM: each sets the flag below.  No SA_RESTART, so a
 * blocking wait for events returns at once.  Call it first thing in a live
 * run: a shell starts background jobs with SIGINT ignored, and a stop asked
 * while the driver loads must not be lost. */
void ff_stop_catch(void);

/* The flag the loops poll (0 until a signal came). */
volatile sig_atomic_t *ff_stop_flag(void);

#endif
