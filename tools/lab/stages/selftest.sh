# Stage "selftest": the smallest guest (no NIC, no test disk), booted by lib/stages-host.sh
# stage_selftest to test the lab's own watchdog and retry rules with hangs made on purpose
# (lab.test_hang, lib/guest.sh). lab.phases=none runs no phase, so its check fails for real.
PHASES=$(cmdarg lab.phases plain | tr ',/' '  ')
[ "$PHASES" = none ] && PHASES=""
CHECKS=selftest
FIXTURE=
stage_setup() { lab "setup: selftest guest, phases '${PHASES}'"; }
workload() { dd if=/dev/zero of=/dev/null bs=1M count=8; }
