#!/usr/bin/env python3
"""The floor of a relay, for ./dev bench: a TCP relay that does nothing but move the bytes.

    relay.py LISTEN_PORT TARGET_PORT copy|splice

Listens on 127.0.0.1:LISTEN_PORT and relays every connection to 127.0.0.1:TARGET_PORT, both directions, one thread
per direction. "copy" reads into user space and writes out again (recv_into/send with 1 MiB buffers: what any
userspace proxy must at least do, minus all parsing); "splice" moves the bytes socket -> pipe -> socket inside the
kernel (splice(2), zero-copy), which no HTTP stack on the JVM offers for a body it frames. The bench reads this
process' CPU from /proc like the services': what it costs per GiB is the kernel's share of moving bytes through a
process, the part of the gateway's figure no code of ours can remove.
"""
import os
import socket
import sys
import threading

CHUNK = 1 << 20


def copy(src, dst):
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while True:
        n = src.recv_into(buffer)
        if n == 0:
            break
        dst.sendall(view[:n])


def splice(src, dst):
    r, w = os.pipe()
    try:
        while True:
            n = os.splice(src.fileno(), w, CHUNK)
            if n == 0:
                break
            while n > 0:
                n -= os.splice(r, dst.fileno(), n)
    finally:
        os.close(r)
        os.close(w)


def pipe(move, src, dst):
    try:
        move(src, dst)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(listen_port, target_port, move):
    server = socket.create_server(("127.0.0.1", listen_port))
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        upstream = socket.create_connection(("127.0.0.1", target_port))
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(move, src, dst), daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), {"copy": copy, "splice": splice}[sys.argv[3]])
