/* kubelab's sample app for the test cluster's kubelab/app images: a tiny static HTTP
 * server. It prints the user it runs as, listens on :8080 (or argv[1]) and answers every
 * request with one line, forever. It needs no shell, no libraries and no writable file,
 * so it runs unchanged on a read-only root filesystem as any UID. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void bye(int sig) { (void)sig; _exit(0); }

int main(int argc, char **argv) {
	int port = argc > 1 ? atoi(argv[1]) : 8080;
	signal(SIGTERM, bye);
	signal(SIGINT, bye);
	signal(SIGPIPE, SIG_IGN);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) { perror("socket"); return 1; }
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
	if (listen(s, 16) < 0) { perror("listen"); return 1; }
	printf("app: listening on :%d as uid %u gid %u\n", port, (unsigned)getuid(), (unsigned)getgid());
	fflush(stdout);
	static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from kubelab app\n";
	for (;;) {
		int c = accept(s, 0, 0);
		if (c < 0) continue;
		char buf[1024];
		(void)read(c, buf, sizeof buf);
		(void)write(c, reply, sizeof reply - 1);
		close(c);
	}
}
