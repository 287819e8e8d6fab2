"""An echo server in the standard library only, for preview tests.

Usage: python3 echo-server.py PORT. A WebSocket upgrade is accepted and text
frames come back prefixed with "echo: ", binary frames unchanged. Any other
request is answered with JSON describing what arrived: method, path, headers,
and the body's size and SHA-256 (read in full, by Content-Length).
"""
import base64
import hashlib
import json
import socket
import sys
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def describe(conn, head, headers, body):
    expected = int(headers.get("content-length", "0"))
    while len(body) < expected:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    method, path = head.decode("latin-1").split(" ")[:2]
    answer = json.dumps({
        "method": method,
        "path": path,
        "headers": headers,
        "bodyBytes": len(body),
        "bodySha256": hashlib.sha256(body).hexdigest(),
    }).encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(answer), answer))
    conn.close()


def serve(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return conn.close()
        data += chunk
    head, buffered = data.split(b"\r\n\r\n", 1)
    headers = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    key = headers.get("sec-websocket-key")
    if headers.get("upgrade", "").lower() != "websocket" or not key:
        return describe(conn, head, headers, buffered)
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    conn.sendall(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode()
    )

    def read(count):
        nonlocal buffered
        while len(buffered) < count:
            chunk = conn.recv(4096)
            if not chunk:
                raise EOFError
            buffered += chunk
        taken, buffered = buffered[:count], buffered[count:]
        return taken

    try:
        while True:
            first, second = read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = int.from_bytes(read(2), "big")
            elif length == 127:
                length = int.from_bytes(read(8), "big")
            mask = read(4) if second & 0x80 else b"\0\0\0\0"
            payload = bytes(byte ^ mask[index % 4] for index, byte in enumerate(read(length)))
            if opcode == 8:
                conn.sendall(b"\x88\x00")
                break
            if opcode in (1, 2):
                reply = b"echo: " + payload if opcode == 1 else payload
                size = bytes([len(reply)]) if len(reply) < 126 else bytes([126]) + len(reply).to_bytes(2, "big")
                conn.sendall(bytes([0x80 | opcode]) + size + reply)
    except (EOFError, ConnectionError):
        pass
    conn.close()


server = socket.create_server(("0.0.0.0", int(sys.argv[1])))
while True:
    connection, _ = server.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
