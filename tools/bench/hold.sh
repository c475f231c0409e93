#!/bin/bash
# hold.sh READY FIFO: the command a tracer runs under it (`iopath record -- CMD`,
# `iopath probes -- CMD`, `bpftrace -c CMD`). Each starts its command only once its probes
# are attached, so READY appearing means "attached, measure now"; the tracer then ends when
# this does: once the harness writes a line to FIFO. Blocking on the FIFO instead of
# polling keeps it off the CPU while the workload is measured (a sleep loop forks and
# would be charged to the traced runs only). bash for read -t: once a second it checks
# that its tracer is still there, so a killed tracer leaves no orphan behind.
exec 3<> "$2"   # read-write: opening does not wait for a writer, and no line is lost
touch "$1"
parent=$PPID
until read -r -t 1 _ <&3; do
	kill -0 "$parent" 2> /dev/null || exit 0
done
