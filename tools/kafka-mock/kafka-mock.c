/*
 * Hosts librdkafka's mock cluster (a Kafka-protocol server inside librdkafka) for tests:
 * no Kafka broker is packaged for these machines (ARCHITECTURE.md, "External parts").
 *
 * Usage: kafka-mock [broker_count]   (default 1)
 *
 * Prints the bootstrap servers as the first stdout line, then serves until SIGTERM/SIGINT or
 * stdin EOF. Commands on stdin, one per line, each acknowledged with "ok <cmd>" (or
 * "err <cmd>: <reason>"):
 *   down [id]                        all brokers (or broker id) refuse connections
 *   up [id]                          all brokers (or broker id) accept connections again
 *   topic <name> <partitions>        create a topic with an explicit partition count
 *   ping                             liveness check
 *
 * Topics auto-create on first Metadata/Produce with the mock's default partition count (4 in
 * librdkafka 2.0.2; there is no public API to change it, hence the "topic" command).
 */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BROKERS 16
#define LINE_MAX_LEN 512

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
  (void)rk;
  /* stdout carries the protocol with the test helper; diagnostics go to stderr. */
  if (level <= 4) fprintf(stderr, "librdkafka %d %s: %s\n", level, fac, buf);
}

static void reply(const char *status, const char *cmd, const char *detail) {
  if (detail)
    fprintf(stdout, "%s %s: %s\n", status, cmd, detail);
  else
    fprintf(stdout, "%s %s\n", status, cmd);
  fflush(stdout);
}

static int set_brokers(rd_kafka_mock_cluster_t *mc, int broker_cnt, const char *id_arg, int up,
                       char *why, size_t why_len) {
  int from = 1, to = broker_cnt;
  if (id_arg) {
    char *end = NULL;
    long id = strtol(id_arg, &end, 10);
    if (*id_arg == '\0' || *end != '\0' || id < 1 || id > broker_cnt) {
      snprintf(why, why_len, "broker id must be 1..%d", broker_cnt);
      return -1;
    }
    from = to = (int)id;
  }
  for (int id = from; id <= to; id++) {
    rd_kafka_resp_err_t err =
        up ? rd_kafka_mock_broker_set_up(mc, id) : rd_kafka_mock_broker_set_down(mc, id);
    if (err) {
      snprintf(why, why_len, "broker %d: %s", id, rd_kafka_err2str(err));
      return -1;
    }
  }
  return 0;
}

static void handle_command(rd_kafka_mock_cluster_t *mc, int broker_cnt, char *line) {
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = '\0';
  if (n == 0) return;

  char original[LINE_MAX_LEN];
  snprintf(original, sizeof original, "%s", line);
  char why[256] = {0};
  char *save = NULL;
  char *verb = strtok_r(line, " \t", &save);
  char *arg1 = strtok_r(NULL, " \t", &save);
  char *arg2 = strtok_r(NULL, " \t", &save);

  if (strcmp(verb, "down") == 0 || strcmp(verb, "up") == 0) {
    if (set_brokers(mc, broker_cnt, arg1, verb[0] == 'u', why, sizeof why) == 0)
      reply("ok", original, NULL);
    else
      reply("err", original, why);
  } else if (strcmp(verb, "topic") == 0) {
    int partitions = arg2 ? atoi(arg2) : 0;
    if (!arg1 || partitions < 1) {
      reply("err", original, "usage: topic <name> <partitions>");
      return;
    }
    int replication = broker_cnt < 3 ? broker_cnt : 3;
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, arg1, partitions, replication);
    if (err)
      reply("err", original, rd_kafka_err2str(err));
    else
      reply("ok", original, NULL);
  } else if (strcmp(verb, "ping") == 0) {
    reply("ok", original, NULL);
  } else {
    reply("err", original, "unknown command");
  }
}

int main(int argc, char **argv) {
  int broker_cnt = 1;
  if (argc > 1) {
    char *end = NULL;
    long v = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || v < 1 || v > MAX_BROKERS) {
      fprintf(stderr, "usage: %s [broker_count 1..%d]\n", argv[0], MAX_BROKERS);
      return 2;
    }
    broker_cnt = (int)v;
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, on_log);
  /* The handle only owns the mock cluster; it never connects anywhere itself. */
  if (rd_kafka_conf_set(conf, "bootstrap.servers", "", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "kafka-mock: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "kafka-mock: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, broker_cnt);
  if (!mc) {
    fprintf(stderr, "kafka-mock: rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(rk);
    return 1;
  }

  fprintf(stdout, "%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  char line[LINE_MAX_LEN];
  size_t used = 0;
  while (!stop_requested) {
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    int r = poll(&pfd, 1, 200);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (r == 0) continue;
    ssize_t got = read(STDIN_FILENO, line + used, sizeof line - 1 - used);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break;
    }
    if (got == 0) break; /* EOF: the parent went away; do not outlive it. */
    used += (size_t)got;
    line[used] = '\0';
    char *start = line;
    char *nl;
    while ((nl = strchr(start, '\n')) != NULL) {
      *nl = '\0';
      handle_command(mc, broker_cnt, start);
      start = nl + 1;
    }
    used = strlen(start);
    memmove(line, start, used + 1);
    if (used == sizeof line - 1) { /* an over-long line: drop it rather than wedge */
      reply("err", "(line too long)", NULL);
      used = 0;
    }
  }

  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
