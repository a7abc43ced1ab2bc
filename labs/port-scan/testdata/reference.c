/* Reference solution for the port-scan lab, in C: a TCP connect scan of
 * ports 1-1024. A closed port refuses the connection at once (the target
 * answers the SYN with RST); an open one accepts it, and we close it. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *arg(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v ? v : fallback;
}

int main(void)
{
	const char *host = arg("WIRELAB_ARG_HOST", "target");
	int first = atoi(arg("WIRELAB_ARG_FIRST", "1"));
	int last = atoi(arg("WIRELAB_ARG_LAST", "1024"));

	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	int err = getaddrinfo(host, NULL, &hints, &res);
	if (err != 0) {
		fprintf(stderr, "%s: %s\n", host, gai_strerror(err));
		return 1;
	}
	struct sockaddr_in addr = *(struct sockaddr_in *)res->ai_addr;
	freeaddrinfo(res);

	for (int port = first; port <= last; port++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0) {
			perror("socket");
			return 1;
		}
		addr.sin_port = htons(port);
		if (connect(s, (struct sockaddr *)&addr, sizeof addr) == 0) {
			printf("%d\n", port);
			fflush(stdout);
		}
		close(s);
	}
	return 0;
}
