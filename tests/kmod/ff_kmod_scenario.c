/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The known syscall sequence make check-kmod records (and the host side
 * checks field by field):
 *   openat(AT_FDCWD, DIR/secret.txt, O_WRONLY|O_CREAT|O_TRUNC, 0640),
 *   write "kmod says hi\n", close; open(DIR/secret.txt, O_RDONLY), read, close;
 *   socket/bind/listen on 127.0.0.1:PORT, socket/connect to it, close both;
 *   fork, child execve("/bin/true", {"true", "kmod-arg"}), wait.
 *   ff-kmod-scenario DIR [PORT]
 * With --storm N: N rounds of open/read/close of DIR/secret.txt plus a fork
 * every 64 rounds (syscall storm while the module is loaded).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
	perror(what);
	return 1;
}

static int storm(const char *path, long n)
{
	struct timespec t0, t1;
	char buf[64];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return fail("storm open");
		if (read(fd, buf, sizeof(buf)) < 0)
			return fail("storm read");
		close(fd);
		if (i % 64 == 0) {
			pid_t p = fork();

			if (p == 0)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* a figure for the overhead note, not a test */
	printf("storm ns_per_round=%lld\n",
	       ((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)) / n);
	return 0;
}

int main(int argc, char **argv)
{
	static const char msg[] = "kmod says hi\n";
	char path[4096], buf[64];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, srv, cli, status;
	pid_t p;

	if (argc >= 4 && !strcmp(argv[1], "--storm")) {
		snprintf(path, sizeof(path), "%s/secret.txt", argv[2]);
		return storm(path, atol(argv[3]));
	}
	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/secret.txt", argv[1]);
	sa.sin_port = htons(argc > 2 ? (unsigned short)atoi(argv[2]) : 48123);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0)
		return fail("openat");
	if (write(fd, msg, sizeof(msg) - 1) != (ssize_t)sizeof(msg) - 1)
		return fail("write");
	close(fd);
	fd = (int)syscall(SYS_open, path, O_RDONLY);
	if (fd < 0)
		return fail("open");
	if (read(fd, buf, sizeof(buf)) < 0)
		return fail("read");
	close(fd);

	srv = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&sa, sizeof(sa)) || listen(srv, 4))
		return fail("server socket");
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&sa, sizeof(sa)))
		return fail("connect");
	close(cli);
	close(srv);

	p = fork();
	if (p < 0)
		return fail("fork");
	if (p == 0) {
		/* on the child's own stack: a page it wrote is present, and the
		 * probes read user memory without faulting (like BPF's helpers) */
		char exe[] = "/bin/true", a0[] = "true", a1[] = "kmod-arg";
		char *args[] = { a0, a1, NULL };

		execv(exe, args);
		_exit(127);
	}
	if (waitpid(p, &status, 0) != p || !WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child");
	return 0;
}
