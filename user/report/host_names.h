/* Names for the KVM host report (report/host_report.h): every function returns a constant name,
 * or writes into the caller's buffer and returns it; NULL when the value has no name. */
#ifndef IOPATH_HOST_NAMES_H
#define IOPATH_HOST_NAMES_H
#include <stddef.h>
#include "iopath_host.h"

/* Names (NULL when unknown): exit reason per ISA, KVM_EXIT_* of kvm_run, MSR. */
const char *host_reason_name(unsigned isa, unsigned reason);
const char *host_uexit_name(unsigned reason);
const char *host_msr_name(unsigned msr);
/* "0,1,2" (+N other): the values written to a port or address, from their mask. */
void host_io_values(const struct host_io_val *v, char *b, size_t len);

#endif
