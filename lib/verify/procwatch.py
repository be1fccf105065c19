#!/usr/bin/env python3
"""Observe process fates through the kernel's proc connector (NETLINK_CONNECTOR, CN_IDX_PROC).

Prints one JSON object per line on stdout:
  {"ev":"ready"}                                  subscribed; events from now on are seen
  {"ev":"fork","pid":P,"ppid":Q,"t":NS}           a new process (not thread) P, child of Q
  {"ev":"exec","pid":P,"t":NS}
  {"ev":"exit","pid":P,"ppid":Q,"code":C,"sig":S,"t":NS}   C = exit code or null, S = signal or null
  {"ev":"overrun"}                                the kernel dropped events (socket buffer full)
  {"ev":"error","message":M}                      then exits 1
t is the kernel's CLOCK_MONOTONIC in ns, comparable with Node's process.hrtime.bigint().

Only processes descending (by fork) from a followed pid are reported. Follow a pid by writing
"follow PID" on stdin. Every event since subscription is kept, so a pid followed after it forked
children still gets them reported: the caller can start this before knowing the pid.
"""
import collections
import json
import os
import select
import socket
import struct
import sys

NETLINK_CONNECTOR = 11
CN_IDX_PROC = 1
CN_VAL_PROC = 1
PROC_CN_MCAST_LISTEN = 1
NLMSG_DONE = 3
PROC_EVENT_FORK = 0x1
PROC_EVENT_EXEC = 0x2
PROC_EVENT_EXIT = 0x80000000

NLMSG_HDR = struct.Struct("=IHHII")
CN_MSG_HDR = struct.Struct("=IIIIHH")
PROC_EVENT_HDR = struct.Struct("=IIQ")
FORK_DATA = struct.Struct("=IIII")
EXEC_DATA = struct.Struct("=II")
EXIT_DATA = struct.Struct("=IIII")
EXIT_PARENT = struct.Struct("=II")

HISTORY_LIMIT = 500_000


SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def subscribe():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
    # A burst of forks elsewhere on the machine must not overflow the queue before we read it.
    # As root, SO_RCVBUFFORCE passes net.core.rmem_max: the connector reports the whole machine's events.
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 * 1024 * 1024)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    sock.bind((os.getpid(), CN_IDX_PROC))
    op = struct.pack("=I", PROC_CN_MCAST_LISTEN)
    cn = CN_MSG_HDR.pack(CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(op), 0) + op
    sock.send(NLMSG_HDR.pack(NLMSG_HDR.size + len(cn), NLMSG_DONE, 0, 0, os.getpid()) + cn)
    return sock


def decode_wait_status(status):
    """task->exit_code as the connector reports it: a wait(2) status."""
    sig = status & 0x7F
    if sig:
        return None, sig
    return (status >> 8) & 0xFF, None


def parse(datagram):
    """Yields event dicts (with an internal 'ppid' for forks) from one netlink datagram."""
    offset = 0
    while offset + NLMSG_HDR.size <= len(datagram):
        length = NLMSG_HDR.unpack_from(datagram, offset)[0]
        if length < NLMSG_HDR.size:
            return
        body = offset + NLMSG_HDR.size + CN_MSG_HDR.size
        what, _cpu, t = PROC_EVENT_HDR.unpack_from(datagram, body)
        data = body + PROC_EVENT_HDR.size
        if what == PROC_EVENT_FORK:
            _ppid, ptgid, cpid, ctgid = FORK_DATA.unpack_from(datagram, data)
            if cpid == ctgid:
                yield {"ev": "fork", "pid": ctgid, "ppid": ptgid, "t": t}
        elif what == PROC_EVENT_EXEC:
            pid, tgid = EXEC_DATA.unpack_from(datagram, data)
            if pid == tgid:
                yield {"ev": "exec", "pid": tgid, "t": t}
        elif what == PROC_EVENT_EXIT:
            pid, tgid, status, _exit_signal = EXIT_DATA.unpack_from(datagram, data)
            if pid == tgid:
                ppid = None
                if data + EXIT_DATA.size + EXIT_PARENT.size <= offset + length:
                    ppid = EXIT_PARENT.unpack_from(datagram, data + EXIT_DATA.size)[1]
                code, sig = decode_wait_status(status)
                yield {"ev": "exit", "pid": tgid, "ppid": ppid, "code": code, "sig": sig, "t": t}
        offset += (length + 3) & ~3


class Follower:
    def __init__(self):
        self.history = collections.deque(maxlen=HISTORY_LIMIT)
        self.followed = set()

    def record(self, event):
        self.history.append(event)
        self.report(event)

    def report(self, event):
        if event["ev"] == "fork" and event["ppid"] in self.followed:
            self.followed.add(event["pid"])
        if event["pid"] in self.followed:
            emit(event)

    def follow(self, pid):
        if pid in self.followed:
            return
        self.followed.add(pid)
        for event in list(self.history):
            self.report(event)


def main():
    try:
        sock = subscribe()
    except OSError as err:
        emit({"ev": "error", "message": f"proc connector unavailable: {err}"})
        return 1
    emit({"ev": "ready"})
    follower = Follower()
    stdin = sys.stdin.fileno()
    os.set_blocking(stdin, False)
    pending = b""
    while True:
        readable, _, _ = select.select([sock, stdin], [], [])
        if sock in readable:
            try:
                datagram = sock.recv(65536)
            except OSError as err:
                if err.errno == 105:  # ENOBUFS: the kernel dropped events
                    emit({"ev": "overrun"})
                    continue
                raise
            for event in parse(datagram):
                follower.record(event)
        if stdin in readable:
            chunk = os.read(stdin, 4096)
            if not chunk:
                return 0
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                words = line.decode().split()
                if len(words) == 2 and words[0] == "follow":
                    follower.follow(int(words[1]))


if __name__ == "__main__":
    sys.exit(main())
