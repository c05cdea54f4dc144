// The practical ceiling for bench/run: a minimal epoll HTTP/1.1 responder that answers every
// request on a connection with one prebuilt response (header block + body, read from a file
// captured from kade-serve, so the bytes on the wire are the same). Keep-alive and pipelining
// (one response per "\r\n\r\n" seen); no parsing, no routing, no timeouts. Not a server: a
// measuring stick for the CPU a request costs when nothing but the syscalls is left.
//
//   epoll_ceiling PORT RESPONSE_FILE [THREADS]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char* response;
static size_t response_len;
static int port;

struct conn {
    int fd;
    int matched;  // bytes of "\r\n\r\n" matched so far, across reads
};

static int listen_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0 || listen(fd, 4096) != 0) {
        perror("bind/listen");
        exit(1);
    }
    return fd;
}

static void send_responses(int fd, int n) {
    // Pipelined requests get their responses in one write when they fit a small batch.
    char batch[65536];
    while (n > 0) {
        int k = 0;
        size_t len = 0;
        while (k < n && len + response_len <= sizeof batch) {
            memcpy(batch + len, response, response_len);
            len += response_len;
            ++k;
        }
        const char* p = k ? batch : response;
        if (!k) {
            len = response_len;
            k = 1;
        }
        size_t off = 0;
        while (off < len) {
            ssize_t w = write(fd, p + off, len - off);
            if (w < 0) {
                if (errno == EAGAIN) continue;  // loopback: the window drains quickly
                return;
            }
            off += (size_t)w;
        }
        n -= k;
    }
}

static void* worker(void* arg) {
    (void)arg;
    int lfd = listen_socket();
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[256];
    char buf[16384];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; ++i) {
            struct conn* c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn* nc = calloc(1, sizeof *nc);
                    nc->fd = fd;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            ssize_t r = read(c->fd, buf, sizeof buf);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN) continue;
                close(c->fd);
                free(c);
                continue;
            }
            static const char end[] = "\r\n\r\n";
            int requests = 0;
            for (ssize_t j = 0; j < r; ++j) {
                if (buf[j] == end[c->matched]) {
                    if (++c->matched == 4) {
                        ++requests;
                        c->matched = 0;
                    }
                } else {
                    c->matched = buf[j] == '\r' ? 1 : 0;
                }
            }
            if (requests) send_responses(c->fd, requests);
        }
    }
    return NULL;
}

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: epoll_ceiling PORT RESPONSE_FILE [THREADS]\n");
        return 2;
    }
    port = atoi(argv[1]);
    int fd = open(argv[2], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[2]);
        return 1;
    }
    response_len = (size_t)st.st_size;
    response = malloc(response_len);
    if (read(fd, response, response_len) != (ssize_t)response_len) {
        perror("read");
        return 1;
    }
    close(fd);
    int threads = argc > 3 ? atoi(argv[3]) : 1;
    pthread_t t[64];
    for (int i = 1; i < threads && i < 64; ++i) pthread_create(&t[i], NULL, worker, NULL);
    worker(NULL);
    return 0;
}
