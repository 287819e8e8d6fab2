"""drydock-terminal-relay: the sandbox's terminals, without Docker in between.

A `docker exec` terminal carries every keystroke and every byte of its echo
through the host's dockerd and the container's shim: on a busy host, dockerd
is the largest cost of a keystroke and, while it creates other containers,
the slowest hop of the echo. The engine starts this relay once per sandbox
(as the learner's user, like its execs; `python3 -I -S -c <this file>
drydock-terminal-relay`: shipped with the engine, so it reaches sandboxes of
any image with python3) and then opens each terminal with one TCP connection
to it from the host, on the sandbox network.

Started, it takes the place of an earlier relay (its pid file), listens on
DRYDOCK_TERMINAL_PORT, prints "listening" and goes to the background. Each
connection then sends one JSON line:
    {"token": ..., "argv": [...], "env": ["K=V", ...], "cwd": ..., "cols": N, "rows": N}
The token (DRYDOCK_TERMINAL_TOKEN, from the engine) proves the connection is
the engine's: the sandbox network holds other learners' sandboxes. The relay
answers "ok\\n" and runs argv on a new pty of that size; or it answers
"unauthorized\\n" (a token it does not hold: an engine started since, which
starts a new relay) or "error: <why>\\n", and closes. Then the connection
carries the pty's output raw; towards the pty, frames: one kind byte, a
4-byte big-endian length, the payload. Kind "d" is input; kind "r" is a resize, cols then rows, 2 bytes
each. The connection closes when the program ends, and ending the connection
hangs the pty up.
"""

import errno
import fcntl
import json
import os
import select
import signal
import socket
import struct
import sys
import termios
import time

HEADER_LIMIT = 64 * 1024
HEADER_SECONDS = 10
CHUNK = 64 * 1024
FRAME_HEAD = struct.Struct(">cI")
SIZE = struct.Struct(">HH")


def main():
    token = os.environ.pop("DRYDOCK_TERMINAL_TOKEN", "").encode()
    port = int(os.environ.pop("DRYDOCK_TERMINAL_PORT", "0"))
    if len(token) < 32 or port <= 0:
        sys.exit("drydock-terminal-relay: DRYDOCK_TERMINAL_TOKEN (32+ characters) and DRYDOCK_TERMINAL_PORT are set by the engine")
    pid_file = f"/tmp/drydock-terminal-relay-{os.getuid()}.pid"
    replace_earlier(pid_file)
    server = listen(port)
    # The exec that started the relay ends here; the relay carries on detached from it.
    if os.fork() > 0:
        print("listening", flush=True)
        os._exit(0)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    # What goes wrong in a terminal's process is told here (a traceback), for whoever looks into the sandbox.
    os.dup2(os.open(f"/tmp/drydock-terminal-relay-{os.getuid()}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), 2)
    with open(pid_file, "w") as written:
        written.write(str(os.getpid()))
    # Each terminal's process is reaped by the kernel: the relay never waits on them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        try:
            connection, _ = server.accept()
        except OSError:
            continue
        try:
            child = os.fork()
        except OSError:
            # The sandbox is at its pids limit (a fork bomb): this terminal cannot open, the next may.
            connection.close()
            continue
        if child == 0:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                serve(connection, token)
            except Exception:
                import traceback  # Only when there is something to tell: a module the relay otherwise does without.

                traceback.print_exc()
            finally:
                os._exit(0)
        connection.close()


def replace_earlier(pid_file):
    """Stops the relay an earlier engine started (its token is no longer known); its open terminals carry on."""
    try:
        with open(pid_file) as read:
            pid = int(read.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as read:
            if b"drydock-terminal-relay" not in read.read():
                return
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.02)


def listen(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", port))
    server.listen(64)
    return server


def serve(connection, token):
    try:
        request, early_input = read_request(connection)
        if not same_token(str(request.get("token", "")).encode(), token):
            connection.sendall(b"unauthorized\n")
            return
        master = spawn(request)
    except (ValueError, OSError, KeyError, TypeError) as error:
        try:
            connection.sendall(f"error: {error}\n".encode())
        except OSError:
            pass
        return
    connection.sendall(b"ok\n")
    try:
        relay(connection, master, early_input)
    finally:
        # The program is hung up; PID 1 of the container (tini) reaps it once this process is gone.
        os.close(master)
        connection.close()


def same_token(given, expected):
    """Compares in a time that does not depend on where they differ (hmac's compare_digest would load OpenSSL: 4 MB of the sandbox's memory)."""
    difference = len(given) ^ len(expected)
    for a, b in zip(given.ljust(len(expected), b"\0"), expected):
        difference |= a ^ b
    return difference == 0


def read_request(connection):
    connection.settimeout(HEADER_SECONDS)
    data = b""
    while b"\n" not in data:
        if len(data) > HEADER_LIMIT:
            raise ValueError("the request line is too long")
        chunk = connection.recv(CHUNK)
        if not chunk:
            raise ValueError("the connection ended before the request")
        data += chunk
    connection.settimeout(None)
    line, _, rest = data.partition(b"\n")
    request = json.loads(line)
    if not isinstance(request, dict):
        raise ValueError("the request is not an object")
    return request, rest


def spawn(request):
    argv = [str(part) for part in request["argv"]]
    # As `docker exec` does: the container's environment (the relay's own), then the request's.
    env = {**os.environ, **dict(str(entry).split("=", 1) for entry in request["env"] if "=" in str(entry))}
    master, slave = os.openpty()
    set_size(slave, int(request["cols"]), int(request["rows"]))
    child = os.fork()
    if child == 0:
        try:
            os.close(master)
            os.login_tty(slave)
            try:
                os.chdir(str(request["cwd"]))
            except OSError:
                os.chdir("/")
            os.execvpe(argv[0], argv, env)
        except OSError as error:
            # Shown in the terminal: its pty is this process's output now.
            os.write(2, f"drydock-terminal-relay: {argv[0]}: {error.strerror}\r\n".encode())
        finally:
            os._exit(127)
    os.close(slave)
    os.set_blocking(master, False)
    return master


def set_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def relay(connection, master, inbound):
    """Both directions at once, neither blocking the other: a long paste never waits on output the connection has not taken."""
    connection.setblocking(False)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    to_pty = b""
    to_connection = b""
    while True:
        to_pty, inbound = take_frames(master, inbound, to_pty)
        to_pty = to_pty[write_some(master, to_pty) :]
        to_connection = to_connection[send_some(connection, to_connection) :]
        readers = ([connection] if len(to_pty) < CHUNK else []) + ([master] if len(to_connection) < CHUNK else [])
        writers = ([master] if to_pty else []) + ([connection] if to_connection else [])
        readable, _, _ = select.select(readers, writers, [])
        if master in readable:
            try:
                to_connection += os.read(master, CHUNK)
            except BlockingIOError:
                pass
            except OSError as error:
                # EIO: the program ended and its side of the pty closed.
                if error.errno != errno.EIO:
                    raise
                flush(connection, to_connection)
                return
        if connection in readable:
            try:
                data = connection.recv(CHUNK)
            except BlockingIOError:
                continue
            if not data:
                return
            inbound += data


def take_frames(master, inbound, to_pty):
    """Applies the complete frames at the head of `inbound`: input joins `to_pty`, a resize happens at once."""
    while len(inbound) >= FRAME_HEAD.size:
        kind, length = FRAME_HEAD.unpack_from(inbound)
        if len(inbound) < FRAME_HEAD.size + length:
            break
        payload = inbound[FRAME_HEAD.size : FRAME_HEAD.size + length]
        inbound = inbound[FRAME_HEAD.size + length :]
        if kind == b"d":
            to_pty += payload
        elif kind == b"r" and length == SIZE.size:
            set_size(master, *SIZE.unpack(payload))
    return to_pty, inbound


def write_some(fd, data):
    try:
        return os.write(fd, data)
    except BlockingIOError:
        return 0


def send_some(connection, data):
    try:
        return connection.send(data)
    except BlockingIOError:
        return 0


def flush(connection, data):
    """The program's last words, before the connection closes."""
    connection.setblocking(True)
    try:
        connection.sendall(data)
    except OSError:
        pass


if __name__ == "__main__":
    main()
