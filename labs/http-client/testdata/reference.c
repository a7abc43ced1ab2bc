/* Reference solution for the http-client lab in C: fetch / from
 * www.yahoo.com with a raw TCP socket and print the status line. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define HOST "www.yahoo.com"
#define PORT "80"

int main(void)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((err = getaddrinfo(HOST, PORT, &hints, &res)) != 0) {
		fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
		return 1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		perror("connect");
		return 1;
	}

	/* HTTP/1.1 requires a Host header; "Connection: close" makes the server
	 * close after its answer, so reading until read returns 0 gets it all. */
	const char *req = "GET / HTTP/1.1\r\nHost: " HOST "\r\nConnection: close\r\n\r\n";
	size_t sent = 0, len = strlen(req);
	while (sent < len) {
		ssize_t n = send(fd, req + sent, len - sent, 0);
		if (n < 0) {
			perror("send");
			return 1;
		}
		sent += (size_t)n;
	}

	/* Read the whole response, so that nothing unread is left in the socket:
	 * closing a socket with unread data makes the kernel send RST, not FIN. */
	char buf[65536];
	size_t have = 0;
	for (;;) {
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			perror("read");
			return 1;
		}
		if (n == 0)
			break;
		if (have + (size_t)n < sizeof buf - 1) {
			memcpy(buf + have, chunk, (size_t)n);
			have += (size_t)n;
		}
	}
	close(fd);
	buf[have] = '\0';

	char *end = strstr(buf, "\r\n");
	if (end != NULL)
		*end = '\0';
	printf("%s\n", buf);
	return 0;
}
