/* Unit tests of the command-line layer's pure parts: numbers parsed as unsigned (strtoul
 * takes "-5" for a huge number), the shared tracing options and the combinations
 * trace_opts_check refuses, and network namespaces found and named on a fixture tree. */
#include <getopt.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "platform/netns.h"
#include "report/common.h"
#include "testutil.h"

START_TEST(uint_parse)
{
	unsigned long long v = 7;

	ck_assert_int_eq(parse_uint("0", 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_uint("65535", 65535, &v), 0);
	ck_assert_uint_eq(v, 65535);
	ck_assert_int_eq(parse_uint("18446744073709551615", ~0ull, &v), 0);
	ck_assert_uint_eq(v, ~0ull);
	v = 7;
	ck_assert_int_eq(parse_uint("-5", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint("+5", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint(" 5", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint("5 ", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint("5x", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint("", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint("0x10", ~0ull, &v), -EINVAL);
	ck_assert_int_eq(parse_uint("65536", 65535, &v), -ERANGE);
	ck_assert_int_eq(parse_uint("18446744073709551616", ~0ull, &v), -ERANGE);
	ck_assert_uint_eq(v, 7);   /* untouched on failure */
}
END_TEST

/* trace_opt as getopt_long would call it for option c with value arg. */
static int opt(struct trace_opts *t, int c, const char *arg)
{
	char *argv[] = { "record", "-x", (char *)arg, NULL };

	optarg = (char *)arg;
	optind = 3;
	return trace_opt("record", c, argv, t);
}

START_TEST(shared_values)
{
	struct trace_opts t;

	trace_opts_init(&t, 5, 86400);
	ck_assert_int_eq(opt(&t, TO_QUEUE, "-1"), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_QUEUE, "65536"), EXIT_USAGE);
	ck_assert_int_eq(t.no.queue, -1);
	ck_assert_int_eq(opt(&t, TO_QUEUE, "3"), 0);
	ck_assert_int_eq(t.no.queue, 3);
	ck_assert_int_eq(opt(&t, TO_PORT, "0"), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_PORT, "-80"), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_PORT, "80"), 0);
	ck_assert_int_eq(t.no.port, 80);
	ck_assert_int_eq(opt(&t, TO_PID, "-1"), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_PID, "4294967296"), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_PID, "42"), 0);
	ck_assert_uint_eq(t.no.pid, 42);
	ck_assert_int_eq(opt(&t, TO_IFACE, ""), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_IFACE, "a-name-too-long0"), EXIT_USAGE);
	ck_assert_int_eq(opt(&t, TO_IFACE, "eth0"), 0);
	ck_assert_str_eq(t.no.ifname, "eth0");
	ck_assert_int_eq(opt(&t, TO_NETNS, "blue"), 0);
	ck_assert_str_eq(t.netns_arg, "blue");
	/* -p is --pid, -q is --queue: the short forms every tracing command offers */
	ck_assert_int_eq(TO_PID, 'p');
	ck_assert_int_eq(TO_QUEUE, 'q');
	ck_assert_ptr_nonnull(strstr(TRACE_SHORT, "p:"));
	ck_assert_ptr_nonnull(strstr(TRACE_SHORT, "q:"));
}
END_TEST

static void *tid_of(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	sleep(3);
	return NULL;
}

START_TEST(combinations)
{
	struct trace_opts t;
	pthread_t th;
	pid_t tid = 0;

	/* no filter: nothing to check */
	trace_opts_init(&t, 5, 86400);
	t.blk = true;
	ck_assert_ptr_null(trace_opts_net_filter(&t));
	ck_assert_int_eq(trace_opts_check("record", &t), 0);
	/* each filter alone, on the block path only: refused, named in the line */
	ck_assert_int_eq(opt(&t, TO_PORT, "80"), 0);
	ck_assert_str_eq(trace_opts_net_filter(&t), "--port");
	ck_assert_int_eq(trace_opts_check("record", &t), EXIT_USAGE);
	trace_opts_init(&t, 5, 86400);
	t.blk = true;
	ck_assert_int_eq(opt(&t, TO_IFACE, "lo"), 0);
	ck_assert_str_eq(trace_opts_net_filter(&t), "-i");
	ck_assert_int_eq(trace_opts_check("record", &t), EXIT_USAGE);
	t.net = true;   /* with the network path lo is fine: it is in every namespace */
	ck_assert_int_eq(trace_opts_check("record", &t), 0);
	trace_opts_init(&t, 5, 86400);
	ck_assert_int_eq(opt(&t, TO_NETNS, "x"), 0);
	ck_assert_str_eq(trace_opts_net_filter(&t), "--netns");
	/* --pid: a process that exists, TX only, never a thread of another process */
	trace_opts_init(&t, 5, 86400);
	t.net = true;
	t.no.pid = getpid();
	ck_assert_int_eq(trace_opts_check("record", &t), 0);
	t.no.dir = DIR_RX;
	ck_assert_int_eq(trace_opts_check("record", &t), EXIT_USAGE);
	t.no.dir = -1;
	ck_assert_int_eq(pthread_create(&th, NULL, tid_of, &tid), 0);
	while (!__atomic_load_n(&tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	t.no.pid = tid;
	ck_assert_int_eq(trace_opts_check("record", &t), EXIT_USAGE);
	pthread_cancel(th);
	pthread_join(th, NULL);
}
END_TEST

static unsigned ino(const char *p)
{
	struct stat st;

	ck_assert_int_eq(stat(p, &st), 0);
	return (unsigned)st.st_ino;
}

START_TEST(netns_named)
{
	char root[] = "/tmp/iopath-netns-XXXXXX", p[512], arg[64], b[64];
	unsigned a, bl, init;
	struct netns_set s;

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(p, sizeof(p), "mkdir -p %s/run/netns %s/proc/1/ns && touch %s/run/netns/alpha "
		 "%s/run/netns/beta %s/proc/1/ns/net", root, root, root, root, root);
	ck_assert_int_eq(system(p), 0);
	snprintf(p, sizeof(p), "%s/run/netns/alpha", root);
	a = ino(p);
	snprintf(p, sizeof(p), "%s/run/netns/beta", root);
	bl = ino(p);
	snprintf(p, sizeof(p), "%s/proc/1/ns/net", root);
	init = ino(p);
	ck_assert_int_eq(netns_scan(root, &s, NETNS_IFACES), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.nif, 0);
	ck_assert_int_eq(s.unlisted, 3);   /* a fixture has no namespace to enter: said, not hidden */
	ck_assert_uint_eq(netns_lookup(&s, "alpha"), a);
	ck_assert_uint_eq(netns_lookup(&s, "beta"), bl);
	snprintf(arg, sizeof(arg), "%u", bl);
	ck_assert_uint_eq(netns_lookup(&s, arg), bl);
	snprintf(arg, sizeof(arg), "net:[%u]", a);
	ck_assert_uint_eq(netns_lookup(&s, arg), a);
	snprintf(arg, sizeof(arg), "net:[%u", a);
	ck_assert_uint_eq(netns_lookup(&s, arg), 0);
	ck_assert_uint_eq(netns_lookup(&s, "gamma"), 0);
	ck_assert_uint_eq(netns_lookup(&s, "4294967297"), 0);
	ck_assert_str_eq(netns_label(&s, a, b, sizeof(b)), "alpha");
	ck_assert_str_eq(netns_label(&s, init, b, sizeof(b)), "init");
	ck_assert_str_eq(netns_label(&s, 12345, b, sizeof(b)), "12345");
	snprintf(arg, sizeof(arg), "%u", a);   /* no set to name it from: the inode */
	ck_assert_str_eq(netns_label(NULL, a, b, sizeof(b)), arg);
	netns_free(&s);
	snprintf(p, sizeof(p), "rm -rf %s", root);
	ck_assert_int_eq(system(p), 0);
}
END_TEST

/* A recording keeps its namespaces' names (META netns_names) so a report elsewhere shows them. */
START_TEST(netns_names_kept)
{
	char list[40] = "", b[64];

	ck_assert_ptr_null(netns_names_get(list, 1, b, sizeof(b)));
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 4026531840u, "init"), 0);
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 7, "blue"), 0);
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 7, "again"), 0);   /* first name stays */
	ck_assert_str_eq(list, "4026531840=init;7=blue");
	ck_assert_str_eq(netns_names_get(list, 7, b, sizeof(b)), "blue");
	ck_assert_str_eq(netns_names_get(list, 4026531840u, b, sizeof(b)), "init");
	ck_assert_ptr_null(netns_names_get(list, 402653184u, b, sizeof(b)));   /* a prefix is not it */
	ck_assert_ptr_null(netns_names_get(list, 8, b, sizeof(b)));
	/* names the list cannot hold, and a full list: refused, the list intact */
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 9, "a;b"), -EINVAL);
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 9, "a=b"), -EINVAL);
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 9, ""), -EINVAL);
	ck_assert_int_eq(netns_names_add(list, sizeof(list), 9, "a-long-namespace-name"), -ENOSPC);
	ck_assert_str_eq(list, "4026531840=init;7=blue");
	ck_assert_ptr_null(netns_names_get(NULL, 7, b, sizeof(b)));
}
END_TEST

int main(void)
{
	return RUN_TESTS("cli", "cli", uint_parse, shared_values, combinations, netns_named, netns_names_kept);
}
