# Stage "guest": Debian kernel under QEMU TCG with virtio-net, e1000e, virtio-blk and NVMe.
# The workload: ping over each NIC (QEMU user-net gateway, inside QEMU), direct I/O dd on each disk.
# Phases: plain (counters only) and, when iopath is in the image, the same workload under iopath
# with every guest profile attached by kprobe (dir kprobe-all) and by fentry (dir fentry-all).
PHASES=plain
if [ "$LAB_IOPATH" = 1 ]; then
	for m in kprobe fentry; do PHASES="$PHASES $m:virtio-core+virtio-net+virtio-blk+nvme+e1000e"; done
	PHASES="$PHASES netrec"   # the pings under iopath record --net (checks/guest/63)
	PHASES="$PHASES batch"    # batched block submission under iopath record --blk (checks/guest/64)
	PHASES="$PHASES perfbuf"  # the pings again, samples through the perf buffer (checks/guest/65)
	PHASES="$PHASES nobtf"    # pings and direct I/O with /sys/kernel/btf hidden, built-in BTF (checks/guest/66)
	PHASES="$PHASES nobtfq"   # the same hidden, iopath probes: queue numbers at driver points (checks/guest/66)
	PHASES="$PHASES deep"     # the pings under record --net --deep (checks/guest/67)
fi
PHASES=$(cmdarg lab.phases "$PHASES" | tr ',/' '  ')
CHECKS=guest
# the committed platform fixture comes from the 6.1 guest only (LAB_KSERIES picks other kernels)
case $(uname -r) in 6.1.*) FIXTURE=debian61-kvm-tcg ;; *) FIXTURE= ;; esac
NPING=10   # per NIC
NBLK=64    # 64 KiB direct requests per disk and direction

stage_setup() {
	for m in virtio_pci virtio_net virtio_blk nvme e1000e; do modprobe $m || lab "modprobe $m failed"; done
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1  # no background IPv6 chatter
	ip link set lo up
	local v e
	for i in 1 2 3 4 5 6 7 8 9 10; do
		v=$(iface_by_driver virtio_net); e=$(iface_by_driver e1000e)
		[ -n "$v" ] && [ -n "$e" ] && break; sleep 1
	done
	info virtio_net "$v"; info e1000e "$e"
	ip link set "$v" up && ip addr add 10.0.2.15/24 dev "$v"
	ip link set "$e" up && ip addr add 10.0.3.15/24 dev "$e"
	info vblk "$(disk_by_serial labvblk)"; info nvme "$(disk_by_serial labnvme)"
	info nping $NPING; info nblk $NBLK
	for i in 1 2 3 4 5 6 7 8 9 10; do  # e1000e link comes up a little later
		[ "$(cat /sys/class/net/$e/operstate)" = up ] && break; sleep 1
	done
	lab "setup: virtio_net=$v e1000e=$e vblk=$(cat $LAB_DATA/info/vblk) nvme=$(cat $LAB_DATA/info/nvme) e1000e-link=$(cat /sys/class/net/$e/operstate)"
	# warm-up: resolve ARP once so each phase sees the same packets
	pin_neigh 10.0.2.2 "$v"; pin_neigh 10.0.3.2 "$e"
	cp /proc/kallsyms "$LAB_DATA/info/kallsyms" 2>/dev/null
	ls /sys/kernel/btf > "$LAB_DATA/info/btf"
	uname -r > "$LAB_DATA/info/release"
	[ "$LAB_IOPATH" = 1 ] && { iopath env --json > "$LAB_DATA/info/iopath-env.json" 2>&1; iopath probes --json > "$LAB_DATA/info/iopath-probes.json" 2>&1; }
	return 0
}

# The pings alone under `iopath record --net`: per-packet stages and the
# notify exits charged to packets, against ethtool's kick counters.
workload_netrec() {
	iopath record --net --json --sample 0 -- sh -c "ping -c $NPING -i 0.2 -W 2 10.0.2.2 > /dev/null;
		ping -c $NPING -i 0.2 -W 2 10.0.3.2 > /dev/null" > $LAB_DATA/netrec/record.json 2> $LAB_DATA/netrec/record.err
}

# The pings under `iopath record --net` with the BPF ring buffer masked, as on a kernel before 5.8,
# and BPF arrays userspace can mmap, as before 5.5 (IOPATH_MASK_CAPS=ringbuf,array_mmap): every path
# ended is sampled (--sample 1) and must arrive through the perf buffer, one ring per CPU, the
# counters read by map lookup must say as many were sent, and the stages still equal the
# interface counters.
workload_perfbuf() {
	IOPATH_MASK_CAPS=ringbuf,array_mmap iopath env > $LAB_DATA/perfbuf/env.txt 2>&1
	IOPATH_MASK_CAPS=ringbuf,array_mmap iopath record --net --json --sample 1 -- sh -c "ping -c $NPING -i 0.2 -W 2 10.0.2.2 > /dev/null;
		ping -c $NPING -i 0.2 -W 2 10.0.3.2 > /dev/null" > $LAB_DATA/perfbuf/record.json 2> $LAB_DATA/perfbuf/record.err
}

# A kernel without BTF, as far as a guest can make one: tmpfs over /sys/kernel/btf hides vmlinux's
# and every module's BTF from libbpf (the kernel still has its own, but nothing in userspace can name
# a type id of it: no fentry, fexit or tp_btf), and iopath takes the kernel's types from the minimal
# BTF built into iopath for this kernel build (bpf/btf/, kernel/btfarch.h): module functions by
# kprobe, tracepoints by raw_tp, the block tracepoints' layout measured. The host also made that
# BTF now from this kernel's vmlinux and modules (tools/embed-btf.sh --to, /lab/min.btf), and the
# built-in entry (/lab/builtin.btf) must be the same bytes. env without --btf must name the
# built-in BTF, with --btf the file; record --net --blk (no --btf) must count what the counters count.
workload_nobtf() {
	local vb nv rc
	vb=$(cat $LAB_DATA/info/vblk); nv=$(cat $LAB_DATA/info/nvme)
	[ -s /lab/min.btf ] || { echo "no /lab/min.btf (the host's tools/embed-btf.sh failed: see its log in the stage's out/)"; return 1; }
	if [ ! -f /lab/builtin.btf ]; then echo "no entry in the built-in archive"
	elif cmp /lab/min.btf /lab/builtin.btf > /dev/null; then echo identical
	else echo "differs: $(wc -c < /lab/builtin.btf) bytes built in, $(wc -c < /lab/min.btf) made now"; fi > $LAB_DATA/nobtf/btf-cmp
	mount -t tmpfs -o size=64k,mode=0555 nobtf /sys/kernel/btf || return 1
	ls -A /sys/kernel/btf > $LAB_DATA/nobtf/btf-left
	iopath env > $LAB_DATA/nobtf/env-none.txt 2>&1
	iopath env --btf /lab/min.btf > $LAB_DATA/nobtf/env.txt 2>&1
	iopath record --net --blk --json --sample 0 -- sh -c "ping -c $NPING -i 0.2 -W 2 10.0.2.2 > /dev/null;
		ping -c $NPING -i 0.2 -W 2 10.0.3.2 > /dev/null
		dd if=/dev/zero of=/dev/$vb bs=64k count=$NBLK oflag=direct 2> /dev/null
		dd if=/dev/$nv of=/dev/null bs=64k count=$NBLK iflag=direct 2> /dev/null" \
		> $LAB_DATA/nobtf/record.json 2> $LAB_DATA/nobtf/record.err
	rc=$?
	umount /sys/kernel/btf
	return $rc
}

# /sys/kernel/btf hidden again, `iopath probes` over pings on virtio-net and reads from NVMe: the
# queue numbers at driver points (free_old_xmit's send_queue, nvme_irq's nvme_queue) come from
# module structs, which only the built-in BTF's module types give CO-RE here (none on 5.10).
workload_nobtfq() {
	local nv rc
	nv=$(cat $LAB_DATA/info/nvme)
	mount -t tmpfs -o size=64k,mode=0555 nobtf /sys/kernel/btf || return 1
	iopath probes --json -P virtio-net -P nvme -- sh -c "ping -c $NPING -i 0.2 -W 2 10.0.2.2 > /dev/null
		dd if=/dev/$nv of=/dev/null bs=64k count=$NBLK iflag=direct 2> /dev/null" \
		> $LAB_DATA/nobtfq/probes.json 2> $LAB_DATA/nobtfq/probes.err
	rc=$?
	umount /sys/kernel/btf
	return $rc
}

# The pings under `iopath record --net --deep`: every function taking a struct sk_buff * that
# BTF lists becomes a point (at most DEEP_MAX, sorted by module and name), attached through one
# kprobe.multi link where the kernel has it (CONFIG_FPROBE: 6.12, 7.3), else one by one.
DEEP_MAX=120
workload_deep() {
	iopath record --net --deep --deep-max $DEEP_MAX --json --sample 0 -o $LAB_DATA/deep/deep.rec -- sh -c "ping -c $NPING -i 0.2 -W 2 10.0.2.2 > /dev/null;
		ping -c $NPING -i 0.2 -W 2 10.0.3.2 > /dev/null" > $LAB_DATA/deep/record.json 2> $LAB_DATA/deep/record.err
	iopath report $LAB_DATA/deep/deep.rec > $LAB_DATA/deep/report.txt 2>&1
}

# Batched submission (->queue_rqs, which bypasses ->queue_rq on 6.1+): blk_mq_flush_plug_list
# hands a plug's requests to ->queue_rqs when the queue has no I/O scheduler. A 2 MiB O_DIRECT
# write is more than one bio (BIO_MAX_VECS = 256 pages), so __blkdev_direct_IO submits it under a
# plug: its requests (2 on virtio-blk, 4 on QEMU's NVMe with 512 KiB mdts) reach the driver as one batch.
NBATCH=16
workload_batch() {
	local vb nv d
	vb=$(cat $LAB_DATA/info/vblk); nv=$(cat $LAB_DATA/info/nvme)
	for d in $vb $nv; do echo none > /sys/block/$d/queue/scheduler; done
	iopath record --blk --json --sample 0 -- sh -c "dd if=/dev/zero of=/dev/$vb bs=2M count=$NBATCH oflag=direct;
		dd if=/dev/zero of=/dev/$nv bs=2M count=$NBATCH oflag=direct" > $LAB_DATA/batch/record.json 2> $LAB_DATA/batch/record.err
}

workload() {
	local vb nv
	vb=$(cat $LAB_DATA/info/vblk); nv=$(cat $LAB_DATA/info/nvme)
	ping -c $NPING -i 0.2 -W 2 10.0.2.2
	ping -c $NPING -i 0.2 -W 2 10.0.3.2
	dd if=/dev/urandom of=/dev/$vb bs=64k count=$NBLK oflag=direct 2>&1 | tail -1
	dd if=/dev/$vb of=/dev/null bs=64k count=$NBLK iflag=direct 2>&1 | tail -1
	dd if=/dev/zero of=/dev/$nv bs=64k count=$NBLK oflag=direct 2>&1 | tail -1
	dd if=/dev/$nv of=/dev/null bs=64k count=$NBLK iflag=direct 2>&1 | tail -1
}
