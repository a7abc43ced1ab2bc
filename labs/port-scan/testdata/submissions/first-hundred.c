/* Wrong: scans only ports 1 to 100 and so misses 139, 443 and 631. */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	inet_pton(AF_INET, "10.0.0.30", &addr.sin_addr);
	for (int port = 1; port <= 100; port++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		addr.sin_port = htons(port);
		if (connect(s, (struct sockaddr *)&addr, sizeof addr) == 0)
			printf("%d\n", port);
		close(s);
	}
	return 0;
}
