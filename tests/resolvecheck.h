/* Resolving profile rows in the libcheck tests: check_core on a synthetic
 * kernel view, check_kernels on real Debian ones. A file that includes this
 * defines the struct kview kv, struct kcaps caps and struct resolve_opts ro
 * that R() resolves against. The checks are macros, so that a failure names
 * the test's line; each evaluates to the resolved row. */
#ifndef IOPATH_RESOLVECHECK_H
#define IOPATH_RESOLVECHECK_H
#include <check.h>
#include <string.h>

#include "engine/calib.h"
#include "kernel/kview.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"

/* caps and ro as a resolver test starts: Debian's capabilities, every platform. */
static inline void resolve_defaults(struct kcaps *caps, struct resolve_opts *ro)
{
	calib_assume_debian(caps, true);
	memset(ro, 0, sizeof(*ro));
	ro->platform = PLAT_ANY;
}

static inline struct resolved resolve_row(const struct kview *kv, const struct kcaps *caps,
					  const struct resolve_opts *ro, const char *profile,
					  const char *symbols, unsigned kind)
{
	const struct probe_point *p = point_find(profile, symbols, kind);
	struct resolved r;

	ck_assert_msg(p, "no point %s/%s", profile, symbols);
	resolve_point(kv, caps, ro, p, &r);
	return r;
}

/* The row of profile with these symbols and kind, resolved. */
#define R(profile, symbols, kind) resolve_row(&kv, &caps, &ro, (profile), (symbols), (kind))

/* R() of a row that must get status st. */
#define R_STATUS(profile, symbols, kind, st) ({                                              \
		struct resolved rs_ = R(profile, symbols, kind);                               \
		ck_assert_msg(rs_.status == (st), "%s/%s: status %s, want %s (%s)", (profile), \
			      (symbols), status_name(rs_.status), status_name(st), rs_.reason); \
		rs_;                                                                           \
	})

/* R() of a row that must get method meth (whatever its status). */
#define R_METHOD(profile, symbols, kind, meth) ({                                            \
		struct resolved rm_ = R(profile, symbols, kind);                               \
		ck_assert_msg(rm_.method == (meth), "%s/%s: method %s, want %s (%s, %s)",      \
			      (profile), (symbols), method_name(rm_.method), method_name(meth), \
			      status_name(rm_.status), rm_.reason);                            \
		rm_;                                                                           \
	})

/* R() of a row that must be planned with method meth on symbol sym. */
#define R_PLANNED(profile, symbols, kind, meth, sym) ({                                      \
		struct resolved rp_ = R_STATUS(profile, symbols, kind, PST_PLANNED);           \
		ck_assert_msg(rp_.method == (meth), "%s: method %s, want %s", (sym),           \
			      method_name(rp_.method), method_name(meth));                     \
		ck_assert_msg(!strcmp(rp_.symbol, (sym)), "symbol %s, want %s", rp_.symbol,    \
			      (sym));                                                          \
		rp_;                                                                           \
	})
#endif
