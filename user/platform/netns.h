/* The network namespaces this machine has that iopath can see, and the interfaces in each, so
 * an interface name or a namespace given on the command line is checked before anything is
 * traced and reports can name a namespace instead of printing its inode.
 *
 * Namespaces: every one a process is in (/proc/PID/ns/net) and every one named under
 * /run/netns (ip netns add), keyed by inode (the ns.inum the BPF side reads off a device, and
 * st_ino of those files). Interfaces: an RTM_GETLINK dump over a netlink socket opened inside
 * the namespace (entering it needs CAP_SYS_ADMIN; iopath's own namespace needs nothing), else
 * the names in /proc/PID/net/dev of a process in it (queue counts then unknown); a namespace
 * neither way reads is counted in `unlisted`, so a caller never takes "not found" for "absent"
 * when it could not look. Paths under a root prefix ("" for the live system) for fixtures; the
 * netlink part only runs live (root ""). */
#ifndef IOPATH_NETNS_H
#define IOPATH_NETNS_H
#include <stdbool.h>
#include <stddef.h>

struct netns_ent {
	unsigned inode;
	char name[64];          /* under /run/netns; "" when it has none */
	int pid;                /* a process in it (0: none found) */
	bool own;               /* iopath's own namespace */
	bool init;              /* PID 1's namespace */
	bool listed;            /* its interfaces were read */
};

struct netns_iface {
	unsigned netns;         /* inode */
	int ifindex;            /* 0 when read from /proc/PID/net/dev */
	char name[16];
	int ntx, nrx;           /* queues; -1 unknown */
};

struct netns_set {
	int n, nif;
	struct netns_ent *ns;
	struct netns_iface *ifs;
	int unlisted;           /* namespaces whose interfaces could not be read */
};

/* How much netns_scan reads: the named namespaces and PID 1's and iopath's own (enough to
 * label a namespace), also every process's, also the interfaces in each. */
enum netns_depth { NETNS_NAMES, NETNS_PROCS, NETNS_IFACES };
/* Finds the namespaces under root, as deep as asked. 0 or -ENOMEM (unreadable entries are
 * skipped: a process gone, a file not ours). */
int netns_scan(const char *root, struct netns_set *s, enum netns_depth depth);
void netns_free(struct netns_set *s);
const struct netns_ent *netns_find(const struct netns_set *s, unsigned inode);
/* The namespace "NAME" (under /run/netns), "INODE" or "net:[INODE]" (readlink of
 * /proc/PID/ns/net) means: its inode, or 0 when s has none such. */
unsigned netns_lookup(const struct netns_set *s, const char *arg);
/* How reports name a namespace: its /run/netns name, "init" for PID 1's namespace, else the
 * inode in decimal. Returns buf. */
const char *netns_label(const struct netns_set *s, unsigned inode, char *buf, size_t len);

#endif
