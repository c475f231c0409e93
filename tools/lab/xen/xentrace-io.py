#!/usr/bin/python3
# xentrace-io.py TRACE...: the emulated port and MMIO accesses in xentrace files, counted by address
# over all of them
# (and by value for port writes), for checks/xen-dom0/4x. Xen 4.17 public/trace.h: a record is a
# 32-bit header (event:28, extra_u32:3, cycles_included:1), the TSC when included (2 words), then
# extra_u32 words; xentrace puts a TRC_TRACE_CPU_CHANGE record before each CPU's window.
# TRC_HVM_IOPORT_* / TRC_HVM_IOMEM_* (xen arch/x86/hvm/emulate.c hvmtrace_io_assist): the address
# (2 words with TRC_64_FLAG), then the data when it is not a pointer. TRC_LOST_RECORDS carries the
# number of records Xen dropped in its first word.
# Prints: records N / lost N / io N / ioport_write PORT DATA N / ioport_read PORT N /
#         iomem_write ADDR N / iomem_read ADDR N  (hex addresses and data)
import struct
import sys

TRC_LOST_RECORDS = 0x0001f001
TRC_64_FLAG = 0x100
IO = {0x00082016: "ioport_read", 0x00082017: "iomem_read", 0x00082216: "ioport_write", 0x00082217: "iomem_write"}


def count(path, tot, cnt):
    b = open(path, "rb").read()
    n = len(b) // 4
    w = struct.unpack("<%dI" % n, b[:n * 4])
    i = recs = lost = io = 0
    while i < n:
        h = w[i]
        ev, nx, cyc = h & 0x0fffffff, (h >> 28) & 7, h >> 31
        d = i + 1 + (2 if cyc else 0)
        if d + nx > n:
            break   # a record cut short at the end of the file
        x = w[d:d + nx]
        recs += 1
        if ev == TRC_LOST_RECORDS and nx:
            lost += x[0]
        kind = IO.get(ev & ~TRC_64_FLAG)
        if kind and nx:
            io += 1
            wide = ev & TRC_64_FLAG
            addr = x[0] | (x[1] << 32) if wide and nx >= 2 else x[0]
            da = 2 if wide else 1
            if kind == "ioport_write":
                key = (kind, "0x%x 0x%x" % (addr, x[da] if nx > da else 0))
            else:
                key = (kind, "0x%x" % addr)
            cnt[key] = cnt.get(key, 0) + 1
        i = d + nx
    tot["records"] += recs
    tot["lost"] += lost
    tot["io"] += io


def main(paths):
    tot = {"records": 0, "lost": 0, "io": 0}
    cnt = {}
    for p in paths:
        count(p, tot, cnt)
    for k in ("records", "lost", "io"):
        print("%s %d" % (k, tot[k]))
    for (k, a), c in sorted(cnt.items()):
        print("%s %s %d" % (k, a, c))


if __name__ == "__main__":
    main(sys.argv[1:])
