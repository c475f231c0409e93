/* --deep discovery against this machine's real BTF: functions known to take
 * a struct sk_buff * are found with the right parameter position, tracepoint
 * glue and profile functions are left out. */
#include <string.h>

#include "engine/deep.h"
#include "kernel/kview.h"
#include "testutil.h"

START_TEST(finds_skb_functions)
{
	struct kview kv;
	struct probe_point *p;
	unsigned n, found;
	uint64_t pos;

	kview_init(&kv);
	ck_assert_int_eq(kview_load_live(&kv), 0);
	/* (struct sk_buff *skb, ...) */
	ck_assert(strset_get(&kv.skb_funcs, "vmlinux:__dev_queue_xmit", &pos) && pos == 0);
	ck_assert(strset_get(&kv.skb_funcs, "vmlinux:netif_receive_skb", &pos) && pos == 0);
	ck_assert(strset_get(&kv.skb_funcs, "vmlinux:ip_rcv", &pos) && pos == 0);
	/* ip_output(struct net *, struct sock *, struct sk_buff *) */
	ck_assert(strset_get(&kv.skb_funcs, "vmlinux:ip_output", &pos) && pos == 2);
	/* argument counts from BTF (the resolver keeps >6 off trampolines) */
	ck_assert_int_eq(kview_nargs(&kv, "vmlinux", "ip_output"), 3);
	ck_assert_int_eq(kview_nargs(&kv, "vmlinux", "no_such_function_here"), -1);
	/* no sk_buff parameter */
	ck_assert(!strset_get(&kv.skb_funcs, "vmlinux:schedule", NULL));
	ck_assert(deep_excluded("trace_event_raw_event_net_dev_xmit"));
	ck_assert(deep_excluded("bpf_skb_load_bytes"));
	ck_assert(!deep_excluded("ip_rcv"));

	ck_assert_int_eq(deep_points(&kv, 100000, &p, &n, &found), 0);
	ck_assert_uint_gt(found, 500);   /* any networking kernel has hundreds */
	ck_assert_uint_le(n, found);
	for (unsigned i = 0; i < n; i++) {
		const char *name = strchr(p[i].symbols, ':') + 1;

		ck_assert_msg(!deep_excluded(name), "%s should be excluded", name);
		/* already a profile point: not repeated */
		ck_assert_str_ne(name, "xennet_start_xmit");
		ck_assert_int_eq(p[i].ident, IDENT_SKB);
		ck_assert_str_eq(p[i].profile, "deep");
	}
	deep_free(p, n);
	ck_assert_int_eq(deep_points(&kv, 10, &p, &n, &found), 0);
	ck_assert_uint_eq(n, 10);        /* --deep-max bounds it */
	deep_free(p, n);
	kview_free(&kv);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("deep", "btf", 30, finds_skb_functions);
}
