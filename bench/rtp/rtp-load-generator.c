/*
 * G.711 RTP load generator for bench/rtp-relay.bench.ts.
 *
 * Plays N calls through an RTP relay: every call has a caller and a callee, each sending one
 * 172-octet PCMU packet (12-octet RTP header + 160 octets, 20 ms) every 20 ms to the relay port
 * given for it, and receiving what the relay sends back. All callers share one UDP socket and all
 * callees another (the relay only sees addresses), so the generator stays far cheaper than the
 * relay it measures: sendmmsg/recvmmsg in batches, sends spread evenly over each 20 ms period.
 *
 * Payload: send time (CLOCK_MONOTONIC ns), call index, direction; the receiver computes one-way
 * latency through the relay. Packets sent inside the measuring window are counted as sent, and
 * counted as received when they arrive before the end of the drain.
 *
 * Protocol (stdin/stdout, driven by the bench):
 *   argv: <relay-ip> <warmup-ms> <measure-ms>
 *   out:  "PORTS <caller-port> <callee-port>"      once the two sockets are bound
 *   in:   "<N>" then N lines "<caller-dst> <callee-dst>"   (relay ports each side sends to)
 *   out:  "MEASURE_START", "MEASURE_END", then one JSON line with the results.
 *
 * Linux only (sendmmsg, recvmmsg, SO_RCVBUFFORCE). Build: cc -O2 -o rtp-load-generator this.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET_LEN 172
#define PERIOD_NS 20000000LL
#define BATCH 64
#define HIST_US 200000 /* latencies up to 200 ms in 1 µs buckets, the rest in the last one */
#define TAIL_SEND_NS 300000000LL
#define DRAIN_NS 500000000LL
/*
 * The generator wakes every tick to send what is due and read what arrived: a few batched
 * syscalls per tick instead of several per packet, so that it stays cheaper than the relay it
 * measures. Latencies read up to one tick late (the direct baseline shows it).
 */
#define TICK_NS 100000LL

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "rtp-load-generator: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int open_socket(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) die("socket");
  int size = 64 * 1024 * 1024;
  /* SO_*BUFFORCE passes net.core.*mem_max when root; fall back to the capped option otherwise. */
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  struct sockaddr_in addr = {.sin_family = AF_INET};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  return fd;
}

static int port_of(int fd) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) die("getsockname");
  return ntohs(addr.sin_port);
}

struct side {
  int fd;
  struct sockaddr_in *dst; /* per call */
  uint16_t *seq;           /* per call */
};

static uint32_t *hist;
static uint64_t sent_in_window, received_in_window, received_total, received_bad;
static int64_t window_start, window_end;
static long calls;

static void fill(unsigned char *p, long call, int direction, uint16_t seq, int64_t t) {
  p[0] = 0x80;
  p[1] = 0; /* PCMU */
  p[2] = seq >> 8;
  p[3] = seq & 0xff;
  uint32_t ts = (uint32_t)seq * 160u, ssrc = (uint32_t)(call * 2 + direction + 1);
  uint32_t nts = htonl(ts), nssrc = htonl(ssrc), ncall = htonl((uint32_t)call);
  memcpy(p + 4, &nts, 4);
  memcpy(p + 8, &nssrc, 4);
  memcpy(p + 12, &t, 8);
  memcpy(p + 20, &ncall, 4);
  p[24] = (unsigned char)direction;
  memset(p + 25, 0xff, PACKET_LEN - 25); /* µ-law silence */
}

/* Sends packets first..last-1 of the global schedule for one side. */
static void send_range(struct side *s, int direction, long long first, long long last,
                       unsigned char (*bufs)[PACKET_LEN], struct mmsghdr *msgs,
                       struct iovec *iov) {
  while (first < last) {
    int n = 0;
    int64_t t = now_ns();
    for (; first < last && n < BATCH; first++, n++) {
      long call = (long)(first % calls);
      fill(bufs[n], call, direction, s->seq[call]++, t);
      iov[n].iov_base = bufs[n];
      iov[n].iov_len = PACKET_LEN;
      memset(&msgs[n], 0, sizeof msgs[n]);
      msgs[n].msg_hdr.msg_iov = &iov[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
      msgs[n].msg_hdr.msg_name = &s->dst[call];
      msgs[n].msg_hdr.msg_namelen = sizeof s->dst[call];
    }
    if (t >= window_start && t < window_end) sent_in_window += (uint64_t)n;
    int done = 0;
    while (done < n) {
      int r = sendmmsg(s->fd, msgs + done, (unsigned)(n - done), 0);
      if (r < 0) {
        if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR) continue;
        die("sendmmsg");
      }
      done += r;
    }
  }
}

static void drain(int fd, unsigned char (*bufs)[PACKET_LEN], struct mmsghdr *msgs,
                  struct iovec *iov) {
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = PACKET_LEN;
      memset(&msgs[i], 0, sizeof msgs[i]);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (r < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      die("recvmmsg");
    }
    int64_t t = now_ns();
    for (int i = 0; i < r; i++) {
      received_total++;
      uint32_t ncall;
      int64_t sent;
      memcpy(&ncall, bufs[i] + 20, 4);
      memcpy(&sent, bufs[i] + 12, 8);
      if (msgs[i].msg_len != PACKET_LEN || ntohl(ncall) >= (uint32_t)calls || sent > t) {
        received_bad++;
        continue;
      }
      if (sent < window_start || sent >= window_end) continue;
      received_in_window++;
      int64_t us = (t - sent) / 1000;
      hist[us < HIST_US ? us : HIST_US - 1]++;
    }
    if (r < BATCH) return;
  }
}

static double percentile(double q) {
  uint64_t total = 0, seen = 0;
  for (int i = 0; i < HIST_US; i++) total += hist[i];
  if (total == 0) return -1;
  uint64_t rank = (uint64_t)(q * (double)(total - 1));
  for (int i = 0; i < HIST_US; i++) {
    seen += hist[i];
    if (seen > rank) return i;
  }
  return HIST_US - 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: rtp-load-generator <relay-ip> <warmup-ms> <measure-ms>\n");
    return 2;
  }
  struct in_addr relay;
  if (inet_pton(AF_INET, argv[1], &relay) != 1) {
    fprintf(stderr, "rtp-load-generator: %s is not an IPv4 address\n", argv[1]);
    return 2;
  }
  long long warmup_ns = atoll(argv[2]) * 1000000LL, measure_ns = atoll(argv[3]) * 1000000LL;
  struct side sides[2] = {{.fd = open_socket()}, {.fd = open_socket()}};
  printf("PORTS %d %d\n", port_of(sides[0].fd), port_of(sides[1].fd));
  fflush(stdout);

  if (scanf("%ld", &calls) != 1 || calls <= 0 || calls > 1000000) {
    fprintf(stderr, "rtp-load-generator: expected a call count on stdin\n");
    return 2;
  }
  for (int d = 0; d < 2; d++) {
    sides[d].dst = calloc((size_t)calls, sizeof(struct sockaddr_in));
    sides[d].seq = calloc((size_t)calls, sizeof(uint16_t));
    if (sides[d].dst == NULL || sides[d].seq == NULL) die("calloc");
  }
  for (long i = 0; i < calls; i++) {
    int ports[2];
    if (scanf("%d %d", &ports[0], &ports[1]) != 2) {
      fprintf(stderr, "rtp-load-generator: call %ld has no two ports\n", i);
      return 2;
    }
    for (int d = 0; d < 2; d++) {
      sides[d].dst[i].sin_family = AF_INET;
      sides[d].dst[i].sin_addr = relay;
      sides[d].dst[i].sin_port = htons((uint16_t)ports[d]);
      sides[d].seq[i] = (uint16_t)(i * 7919);
    }
  }
  hist = calloc(HIST_US, sizeof(uint32_t));
  if (hist == NULL) die("calloc");

  static unsigned char bufs[BATCH][PACKET_LEN];
  static struct mmsghdr msgs[BATCH];
  static struct iovec iov[BATCH];
  int64_t start = now_ns();
  window_start = start + warmup_ns;
  window_end = window_start + measure_ns;
  int64_t stop_sending = window_end + TAIL_SEND_NS, stop = stop_sending + DRAIN_NS;
  double gap_ns = (double)PERIOD_NS / (double)calls; /* between two calls' packets */
  long long next = 0;
  int started = 0, ended = 0;

  for (;;) {
    int64_t t = now_ns();
    if (!started && t >= window_start) {
      puts("MEASURE_START");
      fflush(stdout);
      started = 1;
    }
    if (!ended && t >= window_end) {
      puts("MEASURE_END");
      fflush(stdout);
      ended = 1;
    }
    if (t >= stop) break;
    if (t < stop_sending) {
      long long due = (long long)((double)(t - start) / gap_ns) + 1;
      if (due > next) {
        for (int d = 0; d < 2; d++) send_range(&sides[d], d, next, due, bufs, msgs, iov);
        next = due;
      }
    }
    drain(sides[0].fd, bufs, msgs, iov);
    drain(sides[1].fd, bufs, msgs, iov);
    int64_t wake = t + TICK_NS;
    struct timespec until = {.tv_sec = wake / 1000000000LL, .tv_nsec = wake % 1000000000LL};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
  }
  printf("{\"calls\":%ld,\"sent\":%llu,\"received\":%llu,\"receivedTotal\":%llu,\"bad\":%llu,"
         "\"p50Us\":%.0f,\"p99Us\":%.0f,\"p999Us\":%.0f}\n",
         calls, (unsigned long long)sent_in_window, (unsigned long long)received_in_window,
         (unsigned long long)received_total, (unsigned long long)received_bad, percentile(0.5),
         percentile(0.99), percentile(0.999));
  fflush(stdout);
  return 0;
}
